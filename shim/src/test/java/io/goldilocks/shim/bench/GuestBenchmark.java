package io.goldilocks.shim.bench;

import io.goldilocks.cli.OciSpec;
import io.goldilocks.shim.sandbox.ContainerConfig;
import io.goldilocks.shim.sandbox.ExecConfig;
import io.goldilocks.shim.sandbox.FakeStorage;
import io.goldilocks.shim.sandbox.GoldilocksConfig;
import io.goldilocks.shim.sandbox.GuestSandboxFactory;
import io.goldilocks.shim.sandbox.ProcessRef;
import io.goldilocks.shim.sandbox.RealGuest;
import io.goldilocks.shim.sandbox.Sandbox;
import io.goldilocks.shim.sandbox.SandboxFactory;
import io.goldilocks.shim.sandbox.Stdio;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Guest VM (through {@link Sandbox}, the shim's code path) side by side with runc on the host, in one run: time to
 * agent-ready, run-to-exit of {@code /bin/true}, exec latency, stdout throughput. Median of {@code bench.rounds}
 * (default 5) rounds; each guest round boots a fresh VM. Prints a markdown table. Not a test: run it by hand (see
 * docs/benchmarks.md).
 */
public final class GuestBenchmark {
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
  private static final int OUTPUT_MIB = Integer.getInteger("bench.outputMiB", 32);

  private GuestBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory("goldilocks-bench");
    try {
      Path rootfs = RealGuest.busyboxRootfs(work.resolve("bundle/rootfs"));
      Series guest = guest(rootfs, Files.createDirectories(work.resolve("run")));
      Series runc = runc(work.resolve("bundle"), Files.createDirectories(work.resolve("runc-root")));
      print(guest, runc);
    } finally {
      new ProcessBuilder("rm", "-rf", "--one-file-system", work.toString()).inheritIO().start().waitFor();
    }
  }

  /** Measurements of one system, one list per metric (milliseconds, or MB/s for throughput). */
  record Series(List<Double> ready, List<Double> trueRun, List<Double> exec, List<Double> mbPerSecond) {
    Series() {
      this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }
  }

  // --- guest --------------------------------------------------------------------------------------------------------

  private static Series guest(Path rootfs, Path runtime) throws Exception {
    GoldilocksConfig config = GoldilocksConfig.load();
    config.requireGuestImage();
    SandboxFactory factory = GuestSandboxFactory.qemu(new FakeStorage());
    Series s = new Series();
    for (int round = 0; round < ROUNDS; round++) {
      long t0 = System.nanoTime();
      try (Sandbox sandbox = factory.boot(config.sandbox("bench-" + round).runtimeRoot(runtime).build())) {
        s.ready().add(millis(t0));

        long t1 = System.nanoTime();
        sandbox.createContainer(new ContainerConfig("t", spec("true").toJson(), rootfs, false, Stdio.none()));
        sandbox.startContainer("t");
        sandbox.waitProcess(ProcessRef.init("t"));
        s.trueRun().add(millis(t1));
        sandbox.removeContainer("t");

        sandbox.createContainer(new ContainerConfig("c", spec("sleep", "1000").toJson(), rootfs, false, Stdio.none()));
        sandbox.startContainer("c");
        s.exec().add(guestExec(sandbox, "e", Stdio.none(), "true"));

        Counting sink = new Counting();
        double ms = guestExec(sandbox, "out", Stdio.of(sink, OutputStream.nullOutputStream()),
            "head", "-c", Integer.toString(OUTPUT_MIB << 20), "/dev/zero");
        s.mbPerSecond().add(sink.count / 1e6 / (ms / 1000));
      }
      System.err.printf("guest round %d: ready %.0f ms, true %.0f ms, exec %.0f ms, %.1f MB/s%n", round,
          last(s.ready()), last(s.trueRun()), last(s.exec()), last(s.mbPerSecond()));
    }
    return s;
  }

  private static double guestExec(Sandbox sandbox, String id, Stdio stdio, String... args) throws Exception {
    long t = System.nanoTime();
    ProcessRef ref = ProcessRef.exec("c", id);
    sandbox.exec(new ExecConfig("c", id, spec(args).processToJson(), false, stdio));
    sandbox.start(ref);
    sandbox.waitProcess(ref);
    double ms = millis(t);
    sandbox.removeExec(ref);
    return ms;
  }

  // --- runc on the host ---------------------------------------------------------------------------------------------

  private static Series runc(Path bundle, Path root) throws Exception {
    Series s = new Series();
    for (int round = 0; round < ROUNDS; round++) {
      Files.write(bundle.resolve("config.json"), spec("true").toJson());
      long t1 = System.nanoTime();
      run(List.of("runc", "--root", root.toString(), "run", "--bundle", bundle.toString(), "t" + round), null);
      s.trueRun().add(millis(t1));

      String id = "c" + round;
      Files.write(bundle.resolve("config.json"), spec("sleep", "1000").toJson());
      detached(List.of("runc", "--root", root.toString(), "run", "--detach", "--bundle", bundle.toString(), id));
      try {
        Files.write(bundle.resolve("process.json"), spec("true").processToJson());
        long t2 = System.nanoTime();
        run(List.of("runc", "--root", root.toString(), "exec", "--process", bundle.resolve("process.json").toString(),
            id), null);
        s.exec().add(millis(t2));

        Files.write(bundle.resolve("process.json"),
            spec("head", "-c", Integer.toString(OUTPUT_MIB << 20), "/dev/zero").processToJson());
        Counting sink = new Counting();
        long t3 = System.nanoTime();
        run(List.of("runc", "--root", root.toString(), "exec", "--process", bundle.resolve("process.json").toString(),
            id), sink);
        s.mbPerSecond().add(sink.count / 1e6 / (millis(t3) / 1000));
      } finally {
        run(List.of("runc", "--root", root.toString(), "delete", "--force", id), null);
      }
      System.err.printf("runc round %d: true %.0f ms, exec %.0f ms, %.1f MB/s%n", round, last(s.trueRun()),
          last(s.exec()), last(s.mbPerSecond()));
    }
    return s;
  }

  /** Starts a detached container: its stdio must not hold our pipes open, so none is connected. */
  private static void detached(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    if (!p.waitFor(1, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + " failed");
    }
  }

  /** Runs a command; its stdout goes to {@code sink} (or is discarded); fails on a non-zero exit. */
  private static void run(List<String> command, OutputStream sink) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    try (InputStream out = p.getInputStream()) {
      out.transferTo(sink == null ? OutputStream.nullOutputStream() : sink);
    }
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + " failed");
    }
  }

  // --- report -------------------------------------------------------------------------------------------------------

  private static void print(Series guest, Series runc) {
    System.out.printf("rounds: %d (median shown), stdout payload: %d MiB%n%n", ROUNDS, OUTPUT_MIB);
    System.out.println("| metric | guest VM (goldilocks) | runc on the host |");
    System.out.println("|---|---|---|");
    System.out.printf("| time to agent-ready (boot) | %.0f ms | — |%n", median(guest.ready()));
    System.out.printf("| run-to-exit of /bin/true (create, start, wait) | %.0f ms | %.0f ms |%n",
        median(guest.trueRun()), median(runc.trueRun()));
    System.out.printf("| exec latency (`true` in a running container) | %.0f ms | %.0f ms |%n",
        median(guest.exec()), median(runc.exec()));
    System.out.printf("| stdout throughput | %.1f MB/s | %.1f MB/s |%n", median(guest.mbPerSecond()),
        median(runc.mbPerSecond()));
  }

  private static OciSpec spec(String... args) {
    return new OciSpec(List.of(args), List.of(), "/", 0, 0, false);
  }

  private static double millis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }

  private static double last(List<Double> values) {
    return values.get(values.size() - 1);
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted, Comparator.naturalOrder());
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** Counts what is written to it. Used by one thread at a time. */
  private static final class Counting extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
