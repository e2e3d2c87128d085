package org.passerelle.bench.load;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The proxy or the gateway, run as its own JVM from its module's {@code target/classes} and {@code
 * target/lib} (as {@code ./dev run} does), with a GC log, its output in a file, and its readiness
 * read from the admin endpoint's {@code /health/ready}.
 */
public final class ServiceProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final String name;
  private final Process process;
  private final long startedNanos;
  private final InetSocketAddress admin;
  private final GcLog gcLog;
  private long readyMillis = -1;

  private ServiceProcess(
      String name, Process process, long startedNanos, InetSocketAddress admin, GcLog gcLog) {
    this.name = name;
    this.process = process;
    this.startedNanos = startedNanos;
    this.admin = admin;
    this.gcLog = gcLog;
  }

  /**
   * Starts {@code mainClass} of {@code module} (a directory holding {@code target/classes} and
   * {@code target/lib}).
   */
  public static ServiceProcess start(
      String name,
      Path module,
      String mainClass,
      Path config,
      Path dir,
      List<String> jvmOptions,
      InetSocketAddress admin)
      throws IOException {
    Path classes = module.resolve("target/classes");
    Path lib = module.resolve("target/lib");
    if (!Files.isDirectory(classes) || !Files.isDirectory(lib)) {
      throw new IllegalStateException(
          module
              + " is not built: run mvn -o -DskipTests package first (see benchmarks/README.md)");
    }
    Path gc = dir.resolve("gc-" + name + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-Xlog:gc:file=" + gc + ":uptime,level,tags");
    // The processes' own logging (ConsoleLogging), without a line per stanza.
    command.add("-Dpasserelle.log.stanzas=WARN");
    command.add("-cp");
    command.add(classes + File.pathSeparator + lib + File.separator + "*");
    command.add(mainClass);
    command.add(config.toString());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".out").toFile());
    long started = System.nanoTime();
    Process process = builder.start();
    return new ServiceProcess(name, process, started, admin, new GcLog(gc));
  }

  /** Waits for {@code /health/ready} to answer 200; returns milliseconds since the start. */
  public long awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    URI uri =
        URI.create("http://" + admin.getHostString() + ":" + admin.getPort() + "/health/ready");
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1)).GET().build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name
                + " exited with "
                + process.exitValue()
                + " before it was ready: see its .out file");
      }
      try {
        HttpResponse<Void> response = HTTP.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          readyMillis = (System.nanoTime() - startedNanos) / 1_000_000;
          return readyMillis;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException(name + " was not ready within " + timeout);
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public long readyMillis() {
    return readyMillis;
  }

  public long cpuMicros() {
    return ProcessCpu.cpuMicros(process.pid());
  }

  public long rssKib() {
    return ProcessCpu.rssKib(process.pid());
  }

  GcLog gcLog() {
    return gcLog;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
