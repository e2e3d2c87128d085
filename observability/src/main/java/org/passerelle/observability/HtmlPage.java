package org.passerelle.observability;

import java.util.List;

/**
 * A small read-only HTML page: headings, lists of facts and tables, nothing else. Every piece of
 * text is escaped here, whoever wrote it (domain names and addresses come from peers), so callers
 * pass plain strings and cannot inject markup. No script, no external resource: the page works in a
 * text browser and under a {@code default-src 'none'} content security policy.
 */
public final class HtmlPage {
  private static final String STYLE =
      "body{font-family:sans-serif;margin:1.5em;color:#222}"
          + "table{border-collapse:collapse;margin:.5em 0 1.5em}"
          + "th,td{border:1px solid #bbb;padding:.25em .6em;text-align:left;vertical-align:top}"
          + "th{background:#eee}h2{margin-top:1.2em}.bad{color:#a00;font-weight:bold}"
          + ".good{color:#060;font-weight:bold}.none{color:#777}";

  private final StringBuilder html = new StringBuilder(4096);

  /** Starts a page titled {@code title} (also its first heading). */
  public HtmlPage(String title) {
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(escape(title))
        .append("</title><style>")
        .append(STYLE)
        .append("</style></head>\n<body>\n<h1>")
        .append(escape(title))
        .append("</h1>\n");
  }

  /** A section heading; {@code id} names the section for links and tests (letters and dashes). */
  public HtmlPage heading(String id, String text) {
    html.append("<h2 id=\"")
        .append(escape(id))
        .append("\">")
        .append(escape(text))
        .append("</h2>\n");
    return this;
  }

  /** A paragraph of text. */
  public HtmlPage paragraph(String text) {
    html.append("<p>").append(escape(text)).append("</p>\n");
    return this;
  }

  /** Pairs of name and value, as a two-column table. */
  public HtmlPage facts(String id, List<Fact> facts) {
    html.append("<table id=\"").append(escape(id)).append("\">\n");
    for (Fact fact : facts) {
      html.append("<tr><th>").append(escape(fact.name())).append("</th>");
      cell(fact.value());
      html.append("</tr>\n");
    }
    html.append("</table>\n");
    return this;
  }

  /** A table with a header row; an empty table shows {@code empty} instead. */
  public HtmlPage table(String id, List<String> header, List<List<Cell>> rows, String empty) {
    if (rows.isEmpty()) {
      html.append("<p class=\"none\" id=\"")
          .append(escape(id))
          .append("\">")
          .append(escape(empty))
          .append("</p>\n");
      return this;
    }
    html.append("<table id=\"").append(escape(id)).append("\">\n<tr>");
    for (String name : header) {
      html.append("<th>").append(escape(name)).append("</th>");
    }
    html.append("</tr>\n");
    for (List<Cell> row : rows) {
      html.append("<tr>");
      row.forEach(this::cell);
      html.append("</tr>\n");
    }
    html.append("</table>\n");
    return this;
  }

  private void cell(Cell cell) {
    html.append("<td");
    if (cell.tone() != Tone.PLAIN) {
      html.append(" class=\"").append(cell.tone().cssClass).append('"');
    }
    html.append('>').append(escape(cell.text())).append("</td>");
  }

  /** The finished document. */
  public String render() {
    return html + "</body></html>\n";
  }

  /**
   * Escapes text for an HTML text node or a quoted attribute value: {@code & < > " '}, and control
   * characters (but tab and line breaks) become U+FFFD so a peer cannot smuggle anything odd.
   */
  public static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement =
          switch (c) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '"' -> "&quot;";
            case '\'' -> "&#39;";
            default ->
                (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f ? "\uFFFD" : null;
          };
      if (replacement != null && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (replacement != null) {
          out.append(replacement);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }

  /** How a value reads: plainly, or marked as good or bad news. */
  public enum Tone {
    PLAIN(""),
    GOOD("good"),
    BAD("bad"),
    NONE("none");

    private final String cssClass;

    Tone(String cssClass) {
      this.cssClass = cssClass;
    }
  }

  /** One table cell. */
  public record Cell(String text, Tone tone) {
    public static Cell of(Object value) {
      return new Cell(String.valueOf(value), Tone.PLAIN);
    }

    public static Cell good(String text) {
      return new Cell(text, Tone.GOOD);
    }

    public static Cell bad(String text) {
      return new Cell(text, Tone.BAD);
    }
  }

  /** One named value. */
  public record Fact(String name, Cell value) {
    public static Fact of(String name, Object value) {
      return new Fact(name, Cell.of(value));
    }
  }
}
