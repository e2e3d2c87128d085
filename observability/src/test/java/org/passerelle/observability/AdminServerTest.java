package org.passerelle.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin endpoint's paths, methods and headers, over real HTTP on loopback. */
class AdminServerTest {
  private static final InetSocketAddress LISTEN = new InetSocketAddress("127.0.0.140", 0);

  private final AtomicReference<Readiness> readiness =
      new AtomicReference<>(new Readiness(List.of()));
  private final HttpClient client = HttpClient.newHttpClient();
  private AdminServer server;

  @BeforeEach
  void start() throws Exception {
    server =
        AdminServer.start(
            LISTEN,
            new AdminServer.Content() {
              @Override
              public String metrics() {
                return "# TYPE x counter\nx_total 1.0\n";
              }

              @Override
              public Readiness readiness() {
                return readiness.get();
              }

              @Override
              public String statusPage() {
                return new HtmlPage("status").paragraph("<all well>").render();
              }
            },
            "test");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send("GET", path);
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    URI uri = URI.create("http://127.0.0.140:" + server.address().getPort() + path);
    return client.send(
        HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsAreServedInThePrometheusTextFormat() throws Exception {
    HttpResponse<String> response = get("/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(response.body()).contains("x_total 1.0");
  }

  @Test
  void livenessIsAlways200() throws Exception {
    readiness.set(new Readiness(List.of("the link is down")));

    assertThat(get("/health/live").statusCode()).isEqualTo(200);
  }

  @Test
  void readinessIs503WithEachReasonOnItsLineThen200WhenTheProblemsAreGone() throws Exception {
    readiness.set(
        new Readiness.Check()
            .require(false, "the link to proxy:23456 for sip.test is down")
            .require(true, "never shown")
            .require(false, "the subscription store is closed")
            .result());

    HttpResponse<String> down = get("/health/ready");

    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.body())
        .isEqualTo(
            "not ready:\nthe link to proxy:23456 for sip.test is down\n"
                + "the subscription store is closed\n");

    readiness.set(new Readiness.Check().result());
    HttpResponse<String> up = get("/health/ready");
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(up.body()).isEqualTo("ready\n");
  }

  @Test
  void statusPageIsHtmlThatMayRunNoScript() throws Exception {
    HttpResponse<String> response = get("/status");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(response.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(csp -> assertThat(csp).startsWith("default-src 'none'"));
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(response.body()).contains("<p>&lt;all well&gt;</p>");
  }

  @Test
  void rootRedirectsToTheStatusPageAndOtherPathsAreNotFound() throws Exception {
    HttpResponse<String> root = get("/");
    assertThat(root.statusCode()).isEqualTo(302);
    assertThat(root.headers().firstValue("Location")).hasValue("/status");

    assertThat(get("/status/").statusCode()).isEqualTo(404);
    assertThat(get("/metrics.json").statusCode()).isEqualTo(404);
  }

  @Test
  void onlyGetAndHeadAreAnswered() throws Exception {
    HttpResponse<String> post = send("POST", "/metrics");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");

    HttpResponse<String> head = send("HEAD", "/health/live");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }
}
