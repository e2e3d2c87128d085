package org.passerelle.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.passerelle.observability.HtmlPage.Cell;
import org.passerelle.observability.HtmlPage.Fact;

/** Whatever a peer puts in a domain name or an address, the page shows it as text. */
class HtmlPageTest {
  @Test
  void markupCharactersAreEscaped() {
    assertThat(HtmlPage.escape("<script>alert('x') & \"y\"</script>"))
        .isEqualTo("&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
  }

  @Test
  void controlCharactersAreReplacedButLineBreaksAndTabsKept() {
    assertThat(HtmlPage.escape("a\u0000b\u001bc\u007fd\te\nf"))
        .isEqualTo("a\uFFFDb\uFFFDc\uFFFDd\te\nf");
  }

  @Test
  void plainTextIsReturnedAsItIs() {
    String text = "xmpp.example.net 127.0.0.1:5269 ✓";
    assertThat(HtmlPage.escape(text)).isSameAs(text);
    assertThat(HtmlPage.escape(null)).isEmpty();
  }

  @Test
  void everyPieceOfThePageIsEscaped() {
    String evil = "<img src=x onerror=alert(1)>";
    String html =
        new HtmlPage(evil)
            .heading("streams", evil)
            .paragraph(evil)
            .facts("facts", List.of(Fact.of(evil, evil)))
            .table("table", List.of(evil), List.of(List.of(Cell.bad(evil))), evil)
            .table("empty", List.of("h"), List.of(), evil)
            .render();

    assertThat(html).doesNotContain("<img").contains("&lt;img src=x onerror=alert(1)&gt;");
    assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
    assertThat(html).contains("<td class=\"bad\">").contains("id=\"streams\"");
  }
}
