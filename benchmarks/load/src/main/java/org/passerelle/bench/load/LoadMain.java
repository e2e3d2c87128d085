package org.passerelle.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code LoadMain <smoke|quick|xmpp-sip-closed|standard|recovery|presence|…> [--repo DIR] [--out
 * DIR] [--domains N] [--jvm "opts"]}: runs a suite, prints a table, appends one JSON line per
 * scenario to {@code <out>/load-<suite>-<time>.jsonl} (plus a {@code startup} line), and keeps the
 * processes' output and GC logs in {@code <out>/load-<suite>-<time>/}.
 */
public final class LoadMain {
  private LoadMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println(
          "usage: LoadMain <smoke|quick|xmpp-sip-closed|standard|recovery|presence|presence-sip-xmpp"
              + "|presence-xmpp-sip> [--repo DIR] [--out DIR] [--domains N]"
              + " [--jvm \"-Xmx512m ...\"]");
      System.exit(2);
    }
    String suite = args[0];
    Path repo = Path.of(".");
    Path out = Path.of("benchmarks/results");
    int domains = 4;
    List<String> jvm = LoadBench.DEFAULT_JVM;
    for (int i = 1; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--repo" -> repo = Path.of(args[i + 1]);
        case "--out" -> out = Path.of(args[i + 1]);
        case "--domains" -> domains = Integer.parseInt(args[i + 1]);
        case "--jvm" -> jvm = Arrays.asList(args[i + 1].trim().split("\\s+"));
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    List<RunReport> reports = run(suite, repo.toAbsolutePath(), out.toAbsolutePath(), domains, jvm);
    long failed = reports.stream().filter(r -> r.lost() > 0 || r.duplicated() > 0).count();
    System.exit(failed == 0 ? 0 : 1);
  }

  /** Runs a suite; the JSON file's path is printed. */
  public static List<RunReport> run(
      String suite, Path repo, Path out, int domains, List<String> jvm) throws Exception {
    List<Scenario> scenarios = Suites.named(suite);
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path dir = out.resolve("load-" + suite + "-" + stamp);
    Path json = out.resolve("load-" + suite + "-" + stamp + ".jsonl");
    Files.createDirectories(dir);
    List<RunReport> reports = new ArrayList<>();
    Topology topology = new Topology(domains);
    if (Suites.freshProcesses(suite)) {
      boolean first = true;
      for (Scenario scenario : scenarios) {
        Path scenarioDir = dir.resolve(scenario.name());
        try (LoadBench bench = LoadBench.start(repo, scenarioDir, topology, jvm)) {
          if (first) {
            startup(json, bench, jvm);
            first = false;
          }
          reports.add(measure(bench, scenario, json));
        }
      }
    } else {
      try (LoadBench bench = LoadBench.start(repo, dir, topology, jvm)) {
        startup(json, bench, jvm);
        for (Scenario scenario : scenarios) {
          reports.add(measure(bench, scenario, json));
        }
      }
    }
    System.out.printf(
        "%nµs = CPU microseconds per delivered message (utime+stime from /proc); bnc = bounced;"
            + " RSS in MiB; GC = pauses during the measurement.%nJSON lines: %s%nlogs: %s%n",
        json, dir);
    return reports;
  }

  private static void startup(Path json, LoadBench bench, List<String> jvm) throws IOException {
    append(
        json,
        "{\"startup\":true,\"proxy_start_to_ready_ms\":"
            + bench.proxy().readyMillis()
            + ",\"gateway_start_to_ready_ms\":"
            + bench.gateway().readyMillis()
            + ",\"cores\":"
            + Runtime.getRuntime().availableProcessors()
            + ",\"jvm\":\""
            + String.join(" ", jvm)
            + "\",\"java\":\""
            + System.getProperty("java.version")
            + "\"}");
    System.out.printf(
        "proxy start→ready %d ms, gateway start→ready (linked) %d ms; %d cores%n%n",
        bench.proxy().readyMillis(),
        bench.gateway().readyMillis(),
        Runtime.getRuntime().availableProcessors());
    System.out.print(RunReport.tableHeader());
    System.out.println();
  }

  private static RunReport measure(LoadBench bench, Scenario scenario, Path json) throws Exception {
    RunReport report = bench.run(scenario);
    append(json, report.toJson());
    System.out.println(report.tableRow());
    return report;
  }

  private static void append(Path file, String line) throws IOException {
    Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
