package org.passerelle.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * {@code LatencyChart <in.jsonl> <out.svg> [--system passerelle] [--direction xmpp-sip]}: draws
 * latency against offered load from a results file, as one self-contained SVG: p50, p99 and p99.9
 * (log scale, left) and the delivered rate (log scale, right, with the line where it equals the
 * offered rate) against the offered rate (log scale), and each rate where messages were lost marked
 * with the count. Only open-loop rows of the given system and direction are drawn; where a rate was
 * run more than once, each figure is the median of its runs.
 */
public final class LatencyChart {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final int WIDTH = 760;
  private static final int HEIGHT = 470;
  private static final int LEFT = 72;
  private static final int RIGHT = 680;
  private static final int TOP = 78;
  private static final int BOTTOM = 390;

  /** The latency series: JSON field, label, colour. */
  private static final List<String[]> SERIES =
      List.of(
          new String[] {"p50", "p50", "#1f77b4"},
          new String[] {"p99", "p99", "#ff7f0e"},
          new String[] {"p999", "p99.9", "#d62728"});

  /**
   * One offered rate's figures (medians where it was run more than once).
   *
   * @param lost the most any of its runs lost
   */
  public record Point(
      int offered,
      double delivered,
      long lost,
      double p50,
      double p99,
      double p999,
      double loadAverage) {

    double latency(String series) {
      return switch (series) {
        case "p50" -> p50;
        case "p99" -> p99;
        default -> p999;
      };
    }
  }

  private LatencyChart() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println(
          "usage: LatencyChart <in.jsonl> <out.svg> [--system passerelle] [--direction xmpp-sip]");
      System.exit(2);
    }
    String system = "passerelle";
    String direction = "xmpp-sip";
    for (int i = 2; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--system" -> system = args[i + 1];
        case "--direction" -> direction = args[i + 1];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path in = Path.of(args[0]);
    List<Point> points = read(Files.readAllLines(in), system, direction);
    if (points.isEmpty()) {
      System.err.println("no open-loop " + system + " " + direction + " rows in " + in);
      System.exit(1);
    }
    String title =
        system + " " + direction + ": latency against offered load (" + in.getFileName() + ")";
    Files.writeString(Path.of(args[1]), svg(points, title));
    System.out.println("wrote " + args[1] + " (" + points.size() + " offered rates)");
  }

  /** The open-loop rows of {@code system} and {@code direction}, by offered rate. */
  public static List<Point> read(List<String> lines, String system, String direction) {
    Map<Integer, List<JsonNode>> byRate = new TreeMap<>();
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode row;
      try {
        row = JSON.readTree(line);
      } catch (IOException e) {
        throw new UncheckedIOException("not a JSON line: " + line, e);
      }
      // Rows written before the system field existed are Passerelle's.
      String rowSystem = row.path("system").asText("passerelle");
      if (!row.has("scenario")
          || !"open".equals(row.path("mode").asText())
          || !system.equals(rowSystem)
          || !direction.equals(row.path("direction").asText())
          || !row.has("target_rate")) {
        continue;
      }
      byRate.computeIfAbsent(row.get("target_rate").asInt(), r -> new ArrayList<>()).add(row);
    }
    List<Point> points = new ArrayList<>();
    byRate.forEach(
        (rate, rows) ->
            points.add(
                new Point(
                    rate,
                    median(rows, r -> number(r, "delivered_per_s")),
                    rows.stream().mapToLong(r -> r.path("lost").asLong()).max().orElse(0),
                    median(rows, r -> number(r, "latency_p50_ms")),
                    median(rows, r -> number(r, "latency_p99_ms")),
                    median(rows, r -> number(r, "latency_p999_ms")),
                    median(rows, r -> number(r, "load_average_1m")))));
    return points;
  }

  private static double number(JsonNode row, String field) {
    JsonNode value = row.get(field);
    return value == null || !value.isNumber() ? Double.NaN : value.asDouble();
  }

  private static double median(List<JsonNode> rows, ToDoubleFunction<JsonNode> figure) {
    double[] values = rows.stream().mapToDouble(figure).filter(v -> !Double.isNaN(v)).toArray();
    if (values.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(values);
    int middle = values.length / 2;
    return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
  }

  /** The chart of {@code points} (at least one), as a standalone SVG document. */
  public static String svg(List<Point> points, String title) {
    if (points.isEmpty()) {
      throw new IllegalArgumentException("nothing to draw");
    }
    LogAxis x =
        new LogAxis(
            points.get(0).offered() / 1.5,
            points.get(points.size() - 1).offered() * 1.5,
            LEFT,
            RIGHT);
    double fastest = Double.MAX_VALUE;
    double slowest = 0;
    for (Point p : points) {
      for (String[] series : SERIES) {
        double ms = p.latency(series[0]);
        if (!Double.isNaN(ms)) {
          fastest = Math.min(fastest, Math.max(ms, 0.01));
          slowest = Math.max(slowest, ms);
        }
      }
    }
    if (slowest == 0) {
      fastest = 1;
      slowest = 10;
    }
    LogAxis latency =
        new LogAxis(
            Math.pow(10, Math.floor(Math.log10(fastest))),
            Math.pow(10, Math.ceil(Math.log10(slowest) + 1e-9)),
            BOTTOM,
            TOP);
    double slowestDelivered =
        points.stream().mapToDouble(Point::delivered).filter(d -> d > 0).min().orElse(x.min);
    LogAxis delivered = new LogAxis(Math.min(x.min, slowestDelivered / 1.5), x.max, BOTTOM, TOP);

    StringBuilder svg = new StringBuilder(16_384);
    svg.append(
            String.format(
                Locale.ROOT,
                "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' viewBox='0 0 %d %d'"
                    + " font-family='sans-serif' font-size='12'>%n",
                WIDTH,
                HEIGHT,
                WIDTH,
                HEIGHT))
        .append("<rect width='100%' height='100%' fill='white'/>\n");
    text(svg, WIDTH / 2.0, 22, "middle", "14", escape(title));
    legend(svg);
    // Latency grid: one line per decade.
    for (double ms = latency.min; ms <= latency.max * 1.0001; ms *= 10) {
      double y = latency.at(ms);
      line(svg, LEFT, y, RIGHT, y, "#dddddd", "");
      text(svg, LEFT - 6, y + 4, "end", "11", tick(ms));
    }
    // Offered rates: one tick per rate run.
    for (Point p : points) {
      double px = x.at(p.offered());
      line(svg, px, TOP, px, BOTTOM, "#eeeeee", "");
      text(svg, px, BOTTOM + 16, "middle", "11", rate(p.offered()));
    }
    // Delivered rate, right axis, on the same scale as the offered rate.
    for (Point p : points) {
      text(svg, RIGHT + 6, delivered.at(p.offered()) + 4, "start", "10", rate(p.offered()));
    }
    line(svg, LEFT, delivered.at(x.min), RIGHT, delivered.at(x.max), "#999999", "2,4");
    polyline(
        svg,
        points,
        p -> p.delivered() > 0 ? delivered.at(p.delivered()) : Double.NaN,
        x,
        "#7f7f7f",
        "6,3",
        "delivered");
    for (Point p : points) {
      if (p.delivered() > 0) {
        svg.append(
            String.format(
                Locale.ROOT,
                "<rect class='delivered' data-rate='%d' data-per-s='%.1f' x='%.1f' y='%.1f'"
                    + " width='6' height='6' fill='#7f7f7f'/>%n",
                p.offered(),
                p.delivered(),
                x.at(p.offered()) - 3,
                delivered.at(p.delivered()) - 3));
      }
    }
    for (String[] series : SERIES) {
      polyline(
          svg, points, p -> latencyY(latency, p.latency(series[0])), x, series[2], "", series[0]);
      for (Point p : points) {
        double ms = p.latency(series[0]);
        if (!Double.isNaN(ms)) {
          svg.append(
              String.format(
                  Locale.ROOT,
                  "<circle class='%s' data-rate='%d' data-ms='%s' cx='%.1f' cy='%.1f' r='3.5'"
                      + " fill='%s'/>%n",
                  series[0],
                  p.offered(),
                  String.format(Locale.ROOT, "%.3f", ms),
                  x.at(p.offered()),
                  latencyY(latency, ms),
                  series[2]));
        }
      }
    }
    // Loss: a red mark and the count above the plot at each rate that lost messages; neighbouring
    // labels alternate between two heights so that they do not overlap.
    int marks = 0;
    for (Point p : points) {
      if (p.lost() > 0) {
        double px = x.at(p.offered());
        svg.append(
            String.format(
                Locale.ROOT,
                "<g class='loss' data-rate='%d' data-lost='%d'><line x1='%.1f' y1='%d' x2='%.1f'"
                    + " y2='%d' stroke='#d62728' stroke-width='2' stroke-dasharray='3,3'/>"
                    + "<text x='%.1f' y='%d' text-anchor='middle' font-size='10' fill='#d62728'>"
                    + "lost %s%s</text></g>%n",
                p.offered(),
                p.lost(),
                px,
                TOP,
                px,
                BOTTOM,
                px,
                TOP - 4 - 11 * (marks++ % 2),
                count(p.lost()),
                p.delivered() > 0 ? "" : ", none delivered"));
      }
    }
    line(svg, LEFT, BOTTOM, RIGHT, BOTTOM, "#333333", "");
    line(svg, LEFT, TOP, LEFT, BOTTOM, "#333333", "");
    line(svg, RIGHT, TOP, RIGHT, BOTTOM, "#333333", "");
    text(svg, (LEFT + RIGHT) / 2.0, BOTTOM + 36, "middle", "12", "offered rate, msg/s (log scale)");
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x='18' y='%.1f' text-anchor='middle' transform='rotate(-90 18 %.1f)'>"
                + "one-way latency, ms (log scale)</text>%n",
            (TOP + BOTTOM) / 2.0,
            (TOP + BOTTOM) / 2.0));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x='%d' y='%.1f' text-anchor='middle' transform='rotate(90 %d %.1f)'"
                + " fill='#7f7f7f'>delivered, msg/s (log scale)</text>%n",
            WIDTH - 14,
            (TOP + BOTTOM) / 2.0,
            WIDTH - 14,
            (TOP + BOTTOM) / 2.0));
    double[] loads =
        points.stream().mapToDouble(Point::loadAverage).filter(v -> !Double.isNaN(v)).toArray();
    if (loads.length > 0) {
      text(
          svg,
          LEFT,
          HEIGHT - 14,
          "start",
          "11",
          String.format(
              Locale.ROOT,
              "1-minute load average at the start of each step: %.1f–%.1f (2 cores)",
              Arrays.stream(loads).min().orElseThrow(),
              Arrays.stream(loads).max().orElseThrow()));
    }
    return svg.append("</svg>\n").toString();
  }

  private static double latencyY(LogAxis axis, double ms) {
    return Double.isNaN(ms) ? Double.NaN : axis.at(Math.max(ms, axis.min));
  }

  private static void legend(StringBuilder svg) {
    double at = LEFT;
    for (String[] series : SERIES) {
      line(svg, at, 46, at + 22, 46, series[2], "");
      text(svg, at + 27, 50, "start", "12", series[1]);
      at += 80;
    }
    line(svg, at, 46, at + 22, 46, "#7f7f7f", "6,3");
    text(svg, at + 27, 50, "start", "12", "delivered (right axis)");
    at += 170;
    line(svg, at, 46, at + 22, 46, "#999999", "2,4");
    text(svg, at + 27, 50, "start", "12", "delivered = offered");
  }

  private static void polyline(
      StringBuilder svg,
      List<Point> points,
      ToDoubleFunction<Point> y,
      LogAxis x,
      String colour,
      String dash,
      String name) {
    StringBuilder coordinates = new StringBuilder();
    for (Point p : points) {
      double py = y.applyAsDouble(p);
      if (!Double.isNaN(py)) {
        coordinates.append(String.format(Locale.ROOT, "%.1f,%.1f ", x.at(p.offered()), py));
      }
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<polyline class='%s-line' points='%s' fill='none' stroke='%s' stroke-width='2'%s/>%n",
            name,
            coordinates.toString().trim(),
            colour,
            dash.isEmpty() ? "" : " stroke-dasharray='" + dash + "'"));
  }

  private static void line(
      StringBuilder svg, double x1, double y1, double x2, double y2, String colour, String dash) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' stroke='%s'%s/>%n",
            x1,
            y1,
            x2,
            y2,
            colour,
            dash.isEmpty() ? "" : " stroke-dasharray='" + dash + "'"));
  }

  private static void text(
      StringBuilder svg, double x, double y, String anchor, String size, String content) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x='%.1f' y='%.1f' text-anchor='%s' font-size='%s'>%s</text>%n",
            x,
            y,
            anchor,
            size,
            content));
  }

  /** A decade's label: 0.01, 0.1, 1, 10, 1000. */
  private static String tick(double value) {
    return new BigDecimal(value).round(new MathContext(1)).stripTrailingZeros().toPlainString();
  }

  private static String rate(int perSecond) {
    return perSecond >= 1000 && perSecond % 1000 == 0
        ? perSecond / 1000 + "k"
        : perSecond >= 1000
            ? String.format(Locale.ROOT, "%.1fk", perSecond / 1000.0)
            : Integer.toString(perSecond);
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("'", "&apos;");
  }

  /** A logarithmic scale from [min, max] onto pixels [from, to]. */
  private record LogAxis(double min, double max, double from, double to) {
    LogAxis {
      if (!(min > 0) || !(max > min)) {
        throw new IllegalArgumentException(
            "a log axis needs 0 < min < max, was " + min + ".." + max);
      }
    }

    double at(double value) {
      double share = (Math.log(value) - Math.log(min)) / (Math.log(max) - Math.log(min));
      return from + share * (to - from);
    }
  }
}
