package io.goldilocks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldilocks.shim.sandbox.RealGuest;
import io.goldilocks.testing.HostRequirements;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code goldilocks run} as a user runs it: a separate JVM, real QEMU, real stdio. */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class GoldilocksCliRealVmTest {
  @TempDir Path tmp;

  @Test
  void runForwardsStdioExitCodeAndCleansUpAlsoOnCtrlC() throws Exception {
    RealGuest.requireHost();
    Path rootfs = RealGuest.busyboxRootfs(tmp.resolve("my-image")); // any name, not containerd's <bundle>/rootfs
    Path runtime = Files.createDirectories(tmp.resolve("run"));

    // the last line: where the container's root comes from inside the virtio-fs share (mountinfo's root field)
    Process run = cli(runtime, rootfs, "sh", "-c",
        "uname -r; cat; awk '$5 == \"/\" {print $4}' /proc/self/mountinfo; echo to-stderr >&2; exit 3");
    run.getOutputStream().write("from-stdin\n".getBytes(StandardCharsets.UTF_8));
    run.getOutputStream().close();
    CompletableFuture<String> out = read(run.getInputStream());
    CompletableFuture<String> err = read(run.getErrorStream());
    assertThat(run.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(run.exitValue()).as("stderr: %s", err.get()).isEqualTo(3);
    String[] lines = out.get().split("\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).isNotEqualTo(hostKernel());
    assertThat(lines[1]).isEqualTo("from-stdin");
    assertThat(lines[2]).as("the rootfs layout the storage-virtiofs bundle plans: <share>/<container-id>/rootfs")
        .isEqualTo("/main/rootfs");
    assertThat(err.get()).isEqualTo("to-stderr\n");
    assertThat(leftovers(runtime)).isEmpty();

    Process interrupted = cli(runtime, rootfs, "sh", "-c", "echo started; sleep 1000");
    interrupted.getOutputStream().close();
    CompletableFuture<String> err2 = read(interrupted.getErrorStream());
    byte[] started = interrupted.getInputStream().readNBytes("started\n".length());
    assertThat(new String(started, StandardCharsets.UTF_8)).as("stderr: %s", err2.getNow("")).isEqualTo("started\n");
    RealGuest.kill("INT", interrupted.pid());
    assertThat(interrupted.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(leftovers(runtime)).isEmpty();
  }

  @Test
  void aTtyRunStartsAtTheCallersTerminalSize() throws Exception {
    RealGuest.requireHost();
    HostRequirements.requireExecutable("script");
    Path rootfs = RealGuest.busyboxRootfs(tmp.resolve("rootfs"));
    Path runtime = Files.createDirectories(tmp.resolve("run"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // script gives the CLI a terminal of a size of ours; the container's first stty must see it, with no resize yet
    String session = "stty cols 97 rows 31; GOLDILOCKS_RUNTIME_DIR=" + runtime + " " + java + " -cp "
        + System.getProperty("java.class.path") + " " + GoldilocksCli.class.getName() + " run --tty --no-stdin"
        + " --rootfs " + rootfs + " -- sh -c 'stty size'";
    Process script = new ProcessBuilder("script", "-qec", session, "/dev/null").redirectErrorStream(true).start();
    script.getOutputStream().close();
    CompletableFuture<String> out = read(script.getInputStream());
    assertThat(script.waitFor(5, TimeUnit.MINUTES)).isTrue();

    // a doubled CR before the LF is folded: runc's late ONLCR clearing (a known race, see RuncAgentTest)
    assertThat(out.get().replaceAll("\r+\n", "\r\n")).contains("31 97\r\n");
    assertThat(script.exitValue()).as(out.get()).isZero();
    assertThat(leftovers(runtime)).isEmpty();
  }

  private Process cli(Path runtime, Path rootfs, String... command) throws IOException {
    List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), GoldilocksCli.class.getName(), "run", "--rootfs",
        rootfs.toString(), "--"));
    argv.addAll(List.of(command));
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().put("GOLDILOCKS_RUNTIME_DIR", runtime.toString());
    return pb.start();
  }

  /** Sandbox directories, mounts and processes left under the runtime root. */
  private static List<String> leftovers(Path runtime) throws IOException {
    List<String> left = new ArrayList<>();
    for (String kind : List.of("sandbox", "vm")) {
      File[] dirs = runtime.resolve(kind).toFile().listFiles();
      for (File dir : dirs == null ? new File[0] : dirs) {
        left.addAll(RealGuest.leftovers(dir.getName(), runtime));
        left.add("directory: " + dir);
      }
    }
    for (String mount : Files.readAllLines(Path.of("/proc/mounts"))) {
      if (mount.contains(runtime.toString())) {
        left.add("mount: " + mount);
      }
    }
    return left;
  }

  private static CompletableFuture<String> read(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "(unreadable: " + e + ")";
      }
    });
  }

  private static String hostKernel() throws Exception {
    Process p = new ProcessBuilder("uname", "-r").start();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
  }
}
