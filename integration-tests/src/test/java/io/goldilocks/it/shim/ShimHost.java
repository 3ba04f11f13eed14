package io.goldilocks.it.shim;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldilocks.it.containerd.BusyboxImage;
import io.goldilocks.it.containerd.PrivateContainerd;
import io.goldilocks.shim.launch.ShimGroup;
import io.goldilocks.shim.sandbox.GoldilocksConfig;
import io.goldilocks.shim.sandbox.GuestImage;
import io.goldilocks.testing.HostRequirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Fixtures for end-to-end shim tests: a private containerd whose PATH holds the dev tree's shim launcher and whose
 * environment names the guest image, with busybox imported; plus the checks that nothing of a container is left on
 * the host (processes, mounts, sockets, runtime directories).
 */
final class ShimHost {
  private ShimHost() {}

  /** Skips (dev machine) or fails (CI) unless containerd, QEMU, virtiofsd and a built guest image are here. */
  static Path requireVmHost() {
    PrivateContainerd.requireHost();
    BusyboxImage.requireHost();
    HostRequirements.requireExecutable("qemu-system-x86_64");
    HostRequirements.requireExecutable("/usr/lib/qemu/virtiofsd");
    Path guest = guestDir();
    HostRequirements.require(guest != null, "no guest image: build it (mvn -B -pl packaging -am package) or set "
        + "GOLDILOCKS_GUEST_DIR");
    return guest;
  }

  /** GOLDILOCKS_GUEST_DIR, else the dev tree's packaging/target/guest, else the installed one. */
  static Path guestDir() {
    List<Path> candidates = new ArrayList<>();
    String env = System.getenv("GOLDILOCKS_GUEST_DIR");
    if (env != null && !env.isBlank()) {
      candidates.add(Path.of(env));
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      candidates.add(dir.resolve("packaging/target/guest"));
    }
    candidates.add(Path.of(System.getenv().getOrDefault("GOLDILOCKS_PREFIX", "/opt/goldilocks"), "share/guest"));
    return candidates.stream().filter(d -> GuestImage.in(d).isComplete()).findFirst().orElse(null);
  }

  /**
   * A private containerd for the dev tree's shim. Its plugin host takes the built storage bundle (every container
   * create asks the storage plugin for its rootfs plan) from {@code GOLDILOCKS_BUNDLES_DIR} (PluginHostSetup).
   */
  static PrivateContainerd startContainerd(Path guest) {
    PrivateContainerd containerd = PrivateContainerd.builder()
        .environment("PATH", ShimLauncher.pathWithLauncher())
        .environment("GOLDILOCKS_GUEST_DIR", guest.toString())
        .environment("GOLDILOCKS_BUNDLES_DIR", storageBundleDir().toString())
        .start();
    BusyboxImage.importInto(containerd);
    return containerd;
  }

  /**
   * A temp directory holding the dev tree's built storage-virtiofs jar ({@code bundles/storage-virtiofs/target}),
   * removed when the test JVM exits.
   */
  private static Path storageBundleDir() {
    Path jar = ShimLauncher.binDir().getParent().getParent()
        .resolve("bundles/storage-virtiofs/target/goldilocks-storage-virtiofs-0.1.0-SNAPSHOT.jar");
    HostRequirements.require(Files.isRegularFile(jar), "bundle not built: " + jar);
    try {
      Path dir = Files.createTempDirectory("gl-it-storage-bundle");
      dir.toFile().deleteOnExit(); // deleteOnExit runs in reverse order: the jar goes first
      Path copy = Files.copy(jar, dir.resolve("goldilocks-storage-virtiofs.jar"));
      copy.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The bundle containerd makes for a task of ours. */
  static Path bundle(PrivateContainerd containerd, String id) {
    return containerd.dir().resolve("state/io.containerd.runtime.v2.task").resolve(containerd.namespace()).resolve(id);
  }

  static ShimGroup group(PrivateContainerd containerd, String id) {
    return new ShimGroup(containerd.grpcSocket().toString(), containerd.namespace(), id);
  }

  /** What is left on the host of a plain container's sandbox: empty when everything is gone. */
  static List<String> leftovers(PrivateContainerd containerd, String id) throws Exception {
    ShimGroup group = group(containerd, id);
    List<String> found = new ArrayList<>();
    String socket = group.address().socket().toString();
    String sandboxId = group.sandboxId();
    for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
      String cmdline = cmdline(p.pid());
      if (cmdline.contains(socket) || cmdline.contains(sandboxId)) {
        found.add("process " + p.pid() + ": " + cmdline);
      }
    }
    if (Files.exists(group.address().socket())) {
      found.add("socket " + socket);
    }
    Path runtime = GoldilocksConfig.load(Map.of(), Path.of("/")).sandbox(sandboxId).build().runtimeRoot();
    for (Path dir : List.of(runtime.resolve("vm").resolve(sandboxId), runtime.resolve("sandbox").resolve(sandboxId))) {
      if (Files.exists(dir)) {
        found.add("directory " + dir);
      }
    }
    String bundle = bundle(containerd, id).toString();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      if (line.contains(bundle) || line.contains(sandboxId)) {
        found.add("mount " + line);
      }
    }
    return found;
  }

  static String cmdline(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
          .replace('\0', ' ').trim();
    } catch (IOException e) {
      return "";
    }
  }

  /** Pids of processes whose command line contains {@code text}. */
  static List<Long> pidsMentioning(String text) {
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      return all.filter(p -> cmdline(p.pid()).contains(text)).map(ProcessHandle::pid).toList();
    }
  }

  /** Waits (60 s) until nothing of container {@code id} is left on the host, else fails listing what is. */
  static void assertNothingLeft(PrivateContainerd containerd, String id) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    List<String> left = leftovers(containerd, id);
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(500);
      left = leftovers(containerd, id);
    }
    assertThat(left).as("left on the host after " + id + "\n" + containerd.logTail(40)).isEmpty();
  }

  /** Waits (120 s) until containerd reports task {@code id} STOPPED or gone. */
  static void awaitStopped(PrivateContainerd containerd, String id) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      String tasks = containerd.ctr("task", "ls").stdout();
      if (tasks.lines().noneMatch(l -> l.startsWith(id + " ")) || tasks.matches("(?s).*" + id + "\\s+\\d+\\s+STOPPED.*")) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(id + " did not stop: " + containerd.ctr("task", "ls").stdout());
  }
}
