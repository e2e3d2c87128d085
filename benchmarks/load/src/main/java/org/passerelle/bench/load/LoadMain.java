package org.passerelle.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code LoadMain
 * <smoke|relay-smoke|quick|xmpp-sip-closed|xmpp-sip-4000|sip-xmpp-4000|sip-xmpp-warm|standard|recovery|floor|floor-warm|curve|side-by-side|startup
 * |presence|presence-sip-xmpp|presence-xmpp-sip> [--repo DIR] [--out DIR] [--domains N] [--jvm
 * "opts"] [--runs N]}: runs a suite, prints a table, appends one JSON line per scenario to {@code
 * <out>/load-<suite>-<time>.jsonl} (plus a {@code startup} line, a {@code floor_ratio} line per
 * load that both Passerelle and the bare relays ran, and a {@code ratios} line per load of
 * Passerelle ⇄ Prosody pairs), and keeps the processes' output and GC logs in {@code
 * <out>/load-<suite>-<time>/}. The {@code startup} suite sends nothing: it starts and stops the
 * processes {@code --runs} times in each {@link LoadBench.StartOrder}, interleaved, one {@code
 * startup} line each. The presence suites set the presence subscriptions up first (not measured).
 */
public final class LoadMain {
  private LoadMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println(
          "usage: LoadMain <smoke|relay-smoke|quick|xmpp-sip-closed|xmpp-sip-4000|sip-xmpp-4000|sip-xmpp-warm|standard|recovery|floor|floor-warm|curve"
              + "|side-by-side|startup|presence|presence-sip-xmpp|presence-xmpp-sip> [--repo DIR]"
              + " [--out DIR] [--domains N] [--jvm \"-Xmx512m ...\"] [--runs N]");
      System.exit(2);
    }
    String suite = args[0];
    Path repo = Path.of(".");
    Path out = Path.of("benchmarks/results");
    int domains = 4;
    List<String> jvm = LoadBench.DEFAULT_JVM;
    int runs = 5;
    for (int i = 1; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--repo" -> repo = Path.of(args[i + 1]);
        case "--out" -> out = Path.of(args[i + 1]);
        case "--domains" -> domains = Integer.parseInt(args[i + 1]);
        case "--jvm" -> jvm = Arrays.asList(args[i + 1].trim().split("\\s+"));
        case "--runs" -> runs = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (suite.equals("startup")) {
      startups(repo.toAbsolutePath(), out.toAbsolutePath(), domains, jvm, runs);
      System.exit(0);
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
    // The Prosody reference, when the suite has it, runs for the whole suite beside the others.
    try (ProsodyBench prosody =
        scenarios.stream().anyMatch(s -> s.system() == SystemUnderTest.PROSODY)
            ? ProsodyBench.start(dir.resolve("prosody"))
            : null) {
      if (Suites.freshProcesses(suite)) {
        boolean first = true;
        for (Scenario scenario : scenarios) {
          if (scenario.system() == SystemUnderTest.PROSODY) {
            reports.add(measure(prosody, scenario, json));
            continue;
          }
          Path scenarioDir = dir.resolve(scenario.name());
          try (LoadBench bench =
              LoadBench.start(
                  scenario.system(),
                  repo,
                  scenarioDir,
                  topology,
                  jvm,
                  LoadBench.StartOrder.PROXY_FIRST)) {
            if (first) {
              startup(json, bench, jvm);
              first = false;
            }
            reports.add(measure(bench, scenario, json));
          }
        }
      } else {
        List<SystemUnderTest> systems =
            scenarios.stream()
                .map(Scenario::system)
                .filter(s -> s != SystemUnderTest.PROSODY)
                .distinct()
                .toList();
        // Each system's processes run for the whole suite (they listen on their own addresses),
        // so that interleaved scenarios compare warm processes with warm processes.
        Map<SystemUnderTest, LoadBench> benches = new EnumMap<>(SystemUnderTest.class);
        try {
          for (SystemUnderTest system : systems) {
            Path systemDir =
                systems.size() == 1 ? dir : dir.resolve(system.name().toLowerCase(Locale.ROOT));
            LoadBench bench = LoadBench.start(system, repo, systemDir, topology, jvm);
            benches.put(system, bench);
            startup(json, bench, jvm);
          }
          for (Scenario scenario : scenarios) {
            reports.add(
                scenario.system() == SystemUnderTest.PROSODY
                    ? measure(prosody, scenario, json)
                    : measure(benches.get(scenario.system()), scenario, json));
          }
        } finally {
          for (LoadBench bench : benches.values()) {
            bench.close();
          }
        }
      }
    }
    List<FloorRatio> floorRatios = FloorRatio.of(reports);
    if (!floorRatios.isEmpty()) {
      System.out.printf("%n%s%n", FloorRatio.tableHeader());
      for (FloorRatio ratio : floorRatios) {
        append(json, ratio.toJson());
        System.out.println(ratio.tableRow());
      }
      System.out.println(
          "ratio = Passerelle (proxy+gateway) ÷ bare relays (relay 1 + relay 2): CPU per message,"
              + " delivered msg/s");
    }
    List<SideBySideRatios> sideBySide = SideBySideRatios.of(reports);
    if (!sideBySide.isEmpty()) {
      System.out.printf("%n%s%n", SideBySideRatios.tableHeader());
      for (SideBySideRatios ratio : sideBySide) {
        System.out.println(ratio.tableRow());
        append(json, ratio.toJson());
      }
      System.out.printf(
          "Ratios are medians of the ratios of interleaved pairs (Passerelle run, then Prosody's"
              + " at the same load);%nµs/msg = both server processes together: proxy + gateway,"
              + " Prosody A + Prosody B.%n");
    }
    System.out.printf(
        "%nµs = CPU microseconds per delivered message (utime+stime from /proc); bnc = bounced;"
            + " RSS in MiB; GC = pauses during the measurement.%nJSON lines: %s%nlogs: %s%n",
        json, dir);
    return reports;
  }

  /**
   * Starts and stops the processes {@code runs} times in each order, interleaved so that the
   * machine's load falls on both alike; one {@code startup} line per start.
   */
  public static void startups(Path repo, Path out, int domains, List<String> jvm, int runs)
      throws Exception {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path dir = out.resolve("load-startup-" + stamp);
    Path json = out.resolve("load-startup-" + stamp + ".jsonl");
    Files.createDirectories(dir);
    Topology topology = new Topology(domains);
    System.out.printf(
        "%-12s %5s %10s %12s %6s%n", "order", "run", "proxy ms", "gateway ms", "load");
    for (int run = 1; run <= runs; run++) {
      for (LoadBench.StartOrder order : LoadBench.StartOrder.values()) {
        Path runDir = dir.resolve(order.name().toLowerCase(Locale.ROOT) + "-" + run);
        double load = Measurement.loadAverage();
        try (LoadBench bench =
            LoadBench.start(SystemUnderTest.PASSERELLE, repo, runDir, topology, jvm, order)) {
          append(json, startupJson(bench, jvm, order, load));
          System.out.printf(
              "%-12s %5d %10d %12d %6.2f%n",
              order.name().toLowerCase(Locale.ROOT),
              run,
              bench.proxy().readyMillis(),
              bench.gateway().readyMillis(),
              load);
        } catch (Exception e) {
          // A start that times out on a busy machine is a figure too; the next one still runs.
          System.out.printf(
              "%-12s %5d failed: %s (load %.2f)%n",
              order.name().toLowerCase(Locale.ROOT), run, e.getMessage(), load);
        }
      }
    }
    System.out.printf("%nJSON lines: %s%nlogs: %s%n", json, dir);
  }

  private static String startupJson(
      LoadBench bench, List<String> jvm, LoadBench.StartOrder order, double load) {
    return "{\"startup\":true,\"order\":\""
        + order.name().toLowerCase(Locale.ROOT)
        + "\",\"proxy_start_to_ready_ms\":"
        + bench.proxy().readyMillis()
        + ",\"gateway_start_to_ready_ms\":"
        + bench.gateway().readyMillis()
        + ",\"load_average_1m\":"
        + load
        + ",\"cores\":"
        + Runtime.getRuntime().availableProcessors()
        + ",\"jvm\":\""
        + String.join(" ", jvm)
        + "\",\"java\":\""
        + System.getProperty("java.version")
        + "\"}";
  }

  private static void startup(Path json, LoadBench bench, List<String> jvm) throws IOException {
    append(
        json,
        "{\"startup\":true,\"system\":\""
            + bench.system().label
            + "\",\""
            + bench.system().first
            + "_start_to_ready_ms\":"
            + bench.proxy().readyMillis()
            + ",\""
            + bench.system().second
            + "_start_to_ready_ms\":"
            + bench.gateway().readyMillis()
            + ",\"cores\":"
            + Runtime.getRuntime().availableProcessors()
            + ",\"jvm\":\""
            + String.join(" ", jvm)
            + "\",\"java\":\""
            + System.getProperty("java.version")
            + "\"}");
    System.out.printf(
        "%s start→ready %d ms, %s start→ready %d ms%s; %d cores%n%n",
        bench.proxy().name(),
        bench.proxy().readyMillis(),
        bench.gateway().name(),
        bench.gateway().readyMillis(),
        bench.system() == SystemUnderTest.PASSERELLE ? " (linked)" : "",
        Runtime.getRuntime().availableProcessors());
    System.out.print(RunReport.tableHeader());
    System.out.println();
  }

  private static RunReport measure(LoadBench bench, Scenario scenario, Path json) throws Exception {
    return record(bench.run(scenario), json);
  }

  private static RunReport measure(ProsodyBench bench, Scenario scenario, Path json)
      throws Exception {
    return record(bench.run(scenario), json);
  }

  private static RunReport record(RunReport report, Path json) throws IOException {
    append(json, report.toJson());
    System.out.println(report.tableRow());
    return report;
  }

  private static void append(Path file, String line) throws IOException {
    Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
