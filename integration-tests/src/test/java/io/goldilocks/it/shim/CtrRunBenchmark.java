package io.goldilocks.it.shim;

import io.goldilocks.it.containerd.BusyboxImage;
import io.goldilocks.it.containerd.CommandResult;
import io.goldilocks.it.containerd.PrivateContainerd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code ctr run --rm … /bin/true} wall time with runc and with Goldilocks, interleaved in one run against one
 * private containerd (median of {@code -Dbench.runs}, default 5), plus the resident memory of a running Goldilocks
 * container's shim server and QEMU. Prints a Markdown table for docs/benchmarks.md.
 *
 * <p>Run as root with the guest image built: {@code mvn -B -pl integration-tests -am test-compile
 * exec:java@ctr-run-bench} (set GOLDILOCKS_GUEST_DIR when the guest image is elsewhere).
 */
public final class CtrRunBenchmark {
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private CtrRunBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = Integer.getInteger("bench.runs", 5);
    Path guest = ShimHost.guestDir();
    if (guest == null) {
      throw new IllegalStateException("no guest image: build it or set GOLDILOCKS_GUEST_DIR");
    }
    try (PrivateContainerd containerd = ShimHost.startContainerd(guest)) {
      // one unmeasured run each: image unpacking, page cache, the shim's class-data sharing archive
      time(containerd, "io.containerd.runc.v2", "warm-runc");
      time(containerd, ShimLauncher.RUNTIME, "warm-gl");
      List<Double> runc = new ArrayList<>();
      List<Double> goldilocks = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        runc.add(time(containerd, "io.containerd.runc.v2", "runc" + i));
        goldilocks.add(time(containerd, ShimLauncher.RUNTIME, "gl" + i));
      }
      long[] rss = residentMemory(containerd);
      System.out.println();
      System.out.println("| runtime | runs (s) | median (s) |");
      System.out.println("|---|---|---|");
      System.out.printf("| runc (io.containerd.runc.v2) | %s | **%.2f** |%n", list(runc), median(runc));
      System.out.printf("| Goldilocks (io.containerd.goldilocks.v2) | %s | **%.2f** |%n", list(goldilocks),
          median(goldilocks));
      System.out.println();
      System.out.printf("Resident memory of a running Goldilocks container (`sleep`): shim server %d MiB, "
          + "QEMU %d MiB, virtiofsd %d MiB.%n", rss[0] / 1024, rss[1] / 1024, rss[2] / 1024);
    }
  }

  private static double time(PrivateContainerd containerd, String runtime, String id) {
    long start = System.nanoTime();
    CommandResult run = containerd.ctr(TIMEOUT, "run", "--rm", "--runtime", runtime, BusyboxImage.REFERENCE, id,
        "/bin/true");
    double seconds = (System.nanoTime() - start) / 1e9;
    if (!run.succeeded()) {
      throw new IllegalStateException(run.describe() + "\n" + containerd.logTail(40));
    }
    return seconds;
  }

  /** kB resident of the shim server, QEMU and virtiofsd (all its processes) while a container sleeps. */
  private static long[] residentMemory(PrivateContainerd containerd) throws Exception {
    String id = "rss1";
    containerd.ctr(TIMEOUT, "run", "-d", "--runtime", ShimLauncher.RUNTIME, BusyboxImage.REFERENCE, id, "sleep",
        "600").requireSuccess();
    try {
      Thread.sleep(2000);
      long shimPid = Long.parseLong(Files.readString(ShimHost.bundle(containerd, id).resolve("shim.pid")).trim());
      long qemu = 0;
      long virtiofsd = 0;
      for (long pid : ShimHost.pidsMentioning(ShimHost.group(containerd, id).sandboxId())) {
        String program = ShimHost.cmdline(pid).split(" ")[0];
        if (program.contains("qemu-system")) {
          qemu += rssKb(pid);
        } else if (program.contains("virtiofsd")) {
          virtiofsd += rssKb(pid);
        }
      }
      return new long[] {rssKb(shimPid), qemu, virtiofsd};
    } finally {
      containerd.ctr("task", "kill", "-s", "SIGKILL", id);
      Thread.sleep(1000);
      containerd.ctr("task", "delete", id);
      containerd.ctr("containers", "rm", id);
    }
  }

  private static long rssKb(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return 0;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String list(List<Double> values) {
    return String.join(" ", values.stream().map(v -> String.format("%.2f", v)).toList());
  }
}
