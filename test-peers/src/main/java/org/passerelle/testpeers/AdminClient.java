package org.passerelle.testpeers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads a Passerelle process's admin endpoint as Prometheus and a load balancer would: {@code
 * /metrics} parsed into samples, {@code /health/ready}, {@code /status}.
 */
public final class AdminClient {
  private final InetSocketAddress address;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public AdminClient(InetSocketAddress address) {
    this.address = address;
  }

  /** The URI of {@code path} on the endpoint. */
  public URI uri(String path) {
    return URI.create("http://" + address.getHostString() + ":" + address.getPort() + path);
  }

  /** Status code and body of a GET. */
  public record Answer(int status, String body) {}

  public Answer get(String path) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Every sample of {@code /metrics}: the series ({@code name{labels}}) and its value. */
  public Metrics metrics() {
    Answer answer = get("/metrics");
    if (answer.status() != 200) {
      throw new AssertionError("/metrics answered " + answer.status() + ": " + answer.body());
    }
    return Metrics.parse(answer.body());
  }

  /** The samples of one scrape, in the Prometheus text format (0.0.4). */
  public record Metrics(SortedMap<String, Double> samples) {
    static Metrics parse(String text) {
      SortedMap<String, Double> samples = new TreeMap<>();
      for (String line : text.split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int space = line.lastIndexOf(' ');
        samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      }
      return new Metrics(samples);
    }

    /**
     * The value of the series {@code name{labels}}, labels as Prometheus writes them (sorted by
     * name, e.g. {@code direction="inbound",kind="message"}); empty if it is not there.
     */
    public OptionalDouble value(String name, String labels) {
      Double value = samples.get(labels.isEmpty() ? name : name + "{" + labels + "}");
      return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    /** As {@link #value}, 0 when the series is not there. */
    public double valueOrZero(String name, String labels) {
      return value(name, labels).orElse(0);
    }
  }
}
