package io.goldilocks.shim.sandbox;

import io.goldilocks.testing.HostRequirements;
import io.goldilocks.ttrpc.TtrpcException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test support for real-VM tests: the host requirements, a busybox rootfs from busybox-static, sandbox configs under a
 * private runtime root, and the checks that nothing was left behind. Thread-safe (stateless).
 */
public final class RealGuest {
  private RealGuest() {}

  /** Skips (dev machine) or fails (CI) unless QEMU, virtiofsd, root and a built guest image are here. */
  public static GoldilocksConfig requireHost() throws TtrpcException {
    HostRequirements.requireRoot();
    HostRequirements.requireExecutable("qemu-system-x86_64");
    HostRequirements.requireExecutable("/usr/lib/qemu/virtiofsd");
    HostRequirements.requireExecutable("/bin/busybox");
    GoldilocksConfig config = GoldilocksConfig.load();
    HostRequirements.require(config.guestImage().isComplete(), "guest image not built at "
        + config.guestImage().kernel().getParent() + " (mvn -B -pl packaging -am package, or GOLDILOCKS_GUEST_DIR)");
    return config;
  }

  /** A sandbox config under {@code runtimeRoot} with test-friendly deadlines. */
  public static SandboxConfig.Builder sandbox(GoldilocksConfig config, String id, Path runtimeRoot) {
    return config.sandbox(id).runtimeRoot(runtimeRoot).bootDeadline(Duration.ofSeconds(120));
  }

  /** A rootfs with busybox-static and its applets, plus /etc/passwd. */
  public static Path busyboxRootfs(Path dir) throws IOException, InterruptedException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    for (String d : List.of("tmp", "proc", "dev", "sys", "etc")) {
      Files.createDirectories(dir.resolve(d));
    }
    Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
    Process list = new ProcessBuilder("/bin/busybox", "--list").start();
    String applets = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    list.waitFor(10, TimeUnit.SECONDS);
    for (String applet : applets.split("\n")) {
      if (!applet.isBlank() && !Files.exists(bin.resolve(applet))) {
        Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
      }
    }
    Files.writeString(dir.resolve("etc/passwd"), "root:x:0:0:root:/:/bin/sh\n");
    return dir;
  }

  /** What of a sandbox is still on the host: processes naming it, mounts under the root, its directories. */
  public static List<String> leftovers(String sandboxId, Path runtimeRoot) throws IOException {
    List<String> left = new ArrayList<>();
    for (String mount : Files.readAllLines(Path.of("/proc/mounts"))) {
      if (mount.contains(runtimeRoot.toString())) {
        left.add("mount: " + mount);
      }
    }
    for (Path dir : List.of(runtimeRoot.resolve("sandbox").resolve(sandboxId),
        runtimeRoot.resolve("vm").resolve(sandboxId))) {
      if (Files.exists(dir)) {
        left.add("directory: " + dir);
      }
    }
    long self = ProcessHandle.current().pid();
    ProcessHandle.allProcesses().filter(p -> p.pid() != self).forEach(p -> {
      String line = p.info().commandLine().orElse("");
      if (line.contains(runtimeRoot.toString()) && line.contains(sandboxId)) {
        left.add("process " + p.pid() + ": " + line);
      }
    });
    return left;
  }

  /** The QEMU process of a sandbox (from the pid file the hypervisor writes). */
  public static ProcessHandle qemuOf(String sandboxId, Path runtimeRoot) throws IOException {
    Path pidFile = runtimeRoot.resolve("vm").resolve(sandboxId).resolve("qemu.pid");
    long pid = Long.parseLong(Files.readString(pidFile).strip().split("\\s+")[0]); // "pid starttime"
    return ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no QEMU process " + pid));
  }

  /** Sends a signal with kill(1). */
  public static void kill(String signal, long pid) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("kill -" + signal + " " + pid + " failed");
    }
  }
}
