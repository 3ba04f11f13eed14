package io.goldilocks.bundles.hosttests;

import io.goldilocks.shim.plugins.BundleInfo;
import io.goldilocks.shim.plugins.PluginHost;
import io.goldilocks.shim.plugins.PluginHostConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * What the Felix plugin host adds to a shim process: start time and memory of a fresh JVM that initialises logging
 * (what every shim does) versus one that also runs the plugin host with only its infrastructure (Felix, Log Service,
 * SCR, FileInstall) and with our four plugin bundles started and serving. Each variant runs in its own JVM, several
 * rounds interleaved; medians are printed as a Markdown table.
 *
 * <p>Run: {@code mvn -B -q -pl bundles/plugin-host-tests -am verify -DskipTests exec:exec -Dexec.skip=true}
 * (the skip property skips exec in the other reactor modules; this module's pom sets it back to false), or
 * {@code java -cp <test classpath> ...PluginHostCostBenchmark [rounds]}.
 */
public final class PluginHostCostBenchmark {
  private static final List<String> VARIANTS = List.of("baseline", "host-infra", "host-plugins");
  private static final Duration PLUGIN_WAIT = Duration.ofSeconds(60);

  private PluginHostCostBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length >= 1 && VARIANTS.contains(args[0])) {
      child(args[0], Path.of(args[1]));
      return;
    }
    int rounds = args.length >= 1 ? Integer.parseInt(args[0]) : 5;
    Map<String, List<Map<String, Long>>> results = new LinkedHashMap<>();
    VARIANTS.forEach(v -> results.put(v, new ArrayList<>()));
    runChild("baseline"); // warm the page cache; not counted
    for (int round = 0; round < rounds; round++) {
      for (String variant : VARIANTS) {
        results.get(variant).add(runChild(variant));
      }
    }
    printTable(results, rounds);
  }

  /** One measured JVM: initialise logging like the shim, optionally run the plugin host, report. */
  private static void child(String variant, Path work) throws Exception {
    LoggerFactory.getLogger(PluginHostCostBenchmark.class).debug("logging initialised");
    long hostStartCallMs = 0;
    long hostReadyMs = 0;
    PluginHost host = null;
    try {
      if (!variant.equals("baseline")) {
        Path bundleDir = Files.createDirectories(work.resolve("bundles"));
        int plugins = 0;
        if (variant.equals("host-plugins")) {
          for (String jar : PluginHostFixture.SHIPPED) {
            Files.copy(PluginHostFixture.BUILT.resolve(jar), bundleDir.resolve(jar),
                StandardCopyOption.REPLACE_EXISTING);
            plugins++;
          }
        }
        long t0 = System.nanoTime();
        host = new PluginHost(new PluginHostConfig(bundleDir, PluginHostFixture.INFRA, work.resolve("cache"),
            Duration.ofMillis(100), Optional.empty()), Duration.ofSeconds(5));
        host.start();
        hostStartCallMs = (System.nanoTime() - t0) / 1_000_000;
        host.awaitRegistry(PLUGIN_WAIT);
        awaitActivePlugins(host, plugins);
        hostReadyMs = (System.nanoTime() - t0) / 1_000_000;
      }
      long uptimeMs = ManagementFactory.getRuntimeMXBean().getUptime();
      System.gc();
      Runtime rt = Runtime.getRuntime();
      Map<String, Long> proc = procStatus();
      System.out.printf("RESULT readyMs=%d hostStartCallMs=%d hostReadyMs=%d rssKb=%d hwmKb=%d heapKb=%d classes=%d"
              + " threads=%d%n", uptimeMs, hostStartCallMs, hostReadyMs, proc.get("VmRSS"), proc.get("VmHWM"),
          (rt.totalMemory() - rt.freeMemory()) / 1024,
          ManagementFactory.getClassLoadingMXBean().getLoadedClassCount(), Thread.activeCount());
    } finally {
      if (host != null) {
        host.close();
      }
    }
  }

  private static void awaitActivePlugins(PluginHost host, int plugins) throws InterruptedException {
    long deadline = System.nanoTime() + PLUGIN_WAIT.toNanos();
    while (host.bundles().stream().filter(b -> b.kind() == BundleInfo.Kind.PLUGIN && b.healthy()).count() < plugins) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("plugins not active: " + host.bundles());
      }
      Thread.sleep(5);
    }
  }

  private static Map<String, Long> runChild(String variant) throws Exception {
    Path work = Files.createTempDirectory("gl-bench-");
    try {
      List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"),
          "-Dgoldilocks.test.bundles=" + PluginHostFixture.BUILT.toAbsolutePath(),
          "-Dgoldilocks.felix.infra=" + PluginHostFixture.INFRA.toAbsolutePath(),
          "-Dlogback.configurationFile=" + logbackConfig(work),
          PluginHostCostBenchmark.class.getName(), variant, work.toString());
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(variant + " failed:\n" + out);
      }
      String line = out.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
          .orElseThrow(() -> new IllegalStateException(variant + " printed no RESULT:\n" + out));
      Map<String, Long> values = new LinkedHashMap<>();
      for (String kv : line.substring("RESULT ".length()).split(" ")) {
        String[] parts = kv.split("=");
        values.put(parts[0], Long.parseLong(parts[1]));
      }
      return values;
    } finally {
      try (Stream<Path> paths = Files.walk(work)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
  }

  /** Logs at WARN only, so the measurement is not of console output. */
  private static Path logbackConfig(Path work) throws IOException {
    return Files.writeString(work.resolve("logback-bench.xml"), """
        <configuration>
          <appender name="E" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>%level %logger - %msg%n</pattern></encoder>
          </appender>
          <root level="WARN"><appender-ref ref="E"/></root>
        </configuration>
        """);
  }

  private static Map<String, Long> procStatus() throws IOException {
    Map<String, Long> values = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      String[] parts = line.split(":\\s+");
      if (parts.length == 2 && parts[1].endsWith(" kB")) {
        values.put(parts[0], Long.parseLong(parts[1].replace(" kB", "").trim()));
      }
    }
    return values;
  }

  private static void printTable(Map<String, List<Map<String, Long>>> results, int rounds) {
    Map<String, Long> base = medians(results.get("baseline"));
    System.out.printf("Felix plugin host cost, median of %d fresh JVMs each (java %s, %d CPUs)%n%n", rounds,
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
    System.out.println("| variant | JVM start → ready (ms) | host.start() call (ms) | host start → plugins serving (ms)"
        + " | RSS (MiB) | peak RSS (MiB) | heap used after GC (MiB) | classes loaded | threads |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    for (Map.Entry<String, List<Map<String, Long>>> e : results.entrySet()) {
      Map<String, Long> m = medians(e.getValue());
      System.out.printf("| %s | %d (%+d) | %d | %d | %.1f (%+.1f) | %.1f (%+.1f) | %.1f (%+.1f) | %d (%+d) | %d |%n",
          e.getKey(), m.get("readyMs"), m.get("readyMs") - base.get("readyMs"), m.get("hostStartCallMs"),
          m.get("hostReadyMs"), mib(m.get("rssKb")), mib(m.get("rssKb") - base.get("rssKb")), mib(m.get("hwmKb")),
          mib(m.get("hwmKb") - base.get("hwmKb")), mib(m.get("heapKb")), mib(m.get("heapKb") - base.get("heapKb")),
          m.get("classes"), m.get("classes") - base.get("classes"), m.get("threads"));
    }
  }

  private static double mib(long kb) {
    return kb / 1024.0;
  }

  private static Map<String, Long> medians(List<Map<String, Long>> runs) {
    Map<String, Long> medians = new LinkedHashMap<>();
    for (String key : runs.get(0).keySet()) {
      List<Long> values = runs.stream().map(r -> r.get(key)).sorted().toList();
      medians.put(key, values.get(values.size() / 2));
    }
    return medians;
  }
}
