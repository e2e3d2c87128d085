package org.passerelle.observability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP endpoint of one process, on the JDK's HTTP server (decision 12): read-only, {@code
 * GET} and {@code HEAD} only, four paths.
 *
 * <ul>
 *   <li>{@code /metrics}: every meter in the Prometheus text format (0.0.4);
 *   <li>{@code /health/live}: 200 while the process runs;
 *   <li>{@code /health/ready}: 200 when it can do its work, else 503 with one reason per line;
 *   <li>{@code /status}: an HTML page for people ({@code /} redirects there).
 * </ul>
 *
 * Requests are answered on the endpoint's own two threads, never on an event loop: what a page
 * shows is read from thread-safe views, or asked of the thread that owns it with a bounded wait.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

  /** Requests served at once; an admin endpoint has few clients (Prometheus, a person). */
  private static final int THREADS = 2;

  static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final String TEXT_TYPE = "text/plain; charset=utf-8";
  private static final String HTML_TYPE = "text/html; charset=utf-8";

  /** The page has no script and loads nothing: forbid everything but its inline style. */
  private static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

  /** What the process shows; each method is called on an admin thread, and may take a moment. */
  public interface Content {
    /** Every meter, in the Prometheus text format. */
    String metrics();

    Readiness readiness();

    /** The status page, a complete HTML document. */
    String statusPage();
  }

  private final HttpServer server;
  private final ExecutorService threads;
  private final Content content;

  private AdminServer(HttpServer server, ExecutorService threads, Content content) {
    this.server = server;
    this.threads = threads;
    this.content = content;
  }

  /**
   * Listens on {@code listen} and serves {@code content}.
   *
   * @param name the process, for thread names and the log
   * @throws IOException if the address cannot be bound
   */
  public static AdminServer start(InetSocketAddress listen, Content content, String name)
      throws IOException {
    Objects.requireNonNull(content, "content");
    HttpServer server = HttpServer.create(listen, 16);
    AtomicInteger count = new AtomicInteger();
    ExecutorService threads =
        Executors.newFixedThreadPool(
            THREADS,
            runnable -> {
              Thread thread = new Thread(runnable, name + "-admin-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    AdminServer admin = new AdminServer(server, threads, content);
    server.createContext("/", admin::handle);
    server.setExecutor(threads);
    server.start();
    LOG.info(
        "admin endpoint on http://{}:{}/ (/metrics, /health/live, /health/ready, /status)",
        server.getAddress().getHostString(),
        server.getAddress().getPort());
    return admin;
  }

  /** Where the endpoint listens (the actual port when 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops listening at once; requests being answered are cut short. */
  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  /** One answer: status, content type, body, and any extra header. */
  private record Answer(int status, String type, String body, String header, String value) {
    Answer(int status, String type, String body) {
      this(status, type, body, null, null);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Answer answer;
      try {
        answer = answer(exchange.getRequestMethod(), exchange.getRequestURI().getPath());
      } catch (RuntimeException e) {
        LOG.warn("admin endpoint failed on {}", exchange.getRequestURI(), e);
        answer = new Answer(500, TEXT_TYPE, "internal error: " + e + "\n");
      }
      respond(exchange, answer);
    }
  }

  private Answer answer(String method, String path) {
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      return new Answer(405, TEXT_TYPE, "only GET and HEAD\n", "Allow", "GET, HEAD");
    }
    return switch (path) {
      case "/metrics" -> new Answer(200, METRICS_TYPE, content.metrics());
      case "/health/live" -> new Answer(200, TEXT_TYPE, "live\n");
      case "/health/ready" -> ready(content.readiness());
      case "/status" ->
          new Answer(
              200,
              HTML_TYPE,
              content.statusPage(),
              "Content-Security-Policy",
              CONTENT_SECURITY_POLICY);
      case "/" -> new Answer(302, TEXT_TYPE, "see /status\n", "Location", "/status");
      default -> new Answer(404, TEXT_TYPE, "not found; try /status\n");
    };
  }

  private static Answer ready(Readiness readiness) {
    return readiness.ready()
        ? new Answer(200, TEXT_TYPE, "ready\n")
        : new Answer(
            503, TEXT_TYPE, "not ready:\n" + String.join("\n", readiness.problems()) + "\n");
  }

  private static void respond(HttpExchange exchange, Answer answer) throws IOException {
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", answer.type());
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    if (answer.header() != null) {
      exchange.getResponseHeaders().set(answer.header(), answer.value());
    }
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(answer.status(), head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
