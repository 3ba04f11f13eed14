package io.goldilocks.shim.launch;

import io.goldilocks.shim.rootfs.Mounts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code containerd-shim-goldilocks-v2 delete}: clean up after a container using only what is on disk.
 *
 * <p>containerd 1.6 runs it after every task end and whenever it lost a shim, so it is idempotent and fast: each step
 * checks first and does nothing when its thing is already gone. For the group's own id (a pod sandbox or a plain
 * {@code ctr run} container) it also stops the shim server and whatever is left of the VM; for a container of a pod it
 * only unmounts that container's rootfs.
 *
 * <p>Immutable; one run per process.
 */
public record DeleteCommand(ShimFlags flags, Path bundle, VmLeftovers vm, Path socketDir) {
  /** What runc's shim reports when it cannot know better: killed by SIGKILL (128 + 9). */
  public static final int UNKNOWN_EXIT_STATUS = 137;

  /** The outcome containerd receives as {@code DeleteResponse}. */
  public record Outcome(long pid, int exitStatus, Instant exitedAt) {}

  public Outcome run() throws Exception {
    flags.requireIdentity();
    BundleFiles files = new BundleFiles(bundle);
    String group = SpecAnnotations.groupOf(flags.id(), bundle);
    if (group.equals(flags.id())) {
      ShimAddress address = ShimAddress.in(socketDir, flags.address(), flags.namespace(), group);
      ShimGroup shimGroup = new ShimGroup(flags.address(), flags.namespace(), group);
      // read before vm.clean removes the sandbox directory; torn down after QEMU is gone
      Optional<NetworkLeftover> network = NetworkLeftover.find(shimGroup.sandboxId());
      stopServer(files, address);
      vm.clean(shimGroup);
      network.ifPresent(NetworkLeftover::tearDown);
      Files.deleteIfExists(address.socket());
      Files.deleteIfExists(address.lockFile());
    }
    Mounts.unmount(bundle.resolve(BundleFiles.ROOTFS));
    long pid = files.readNumber(BundleFiles.INIT_PID).orElse(0L);
    int status = files.readNumber(BundleFiles.EXIT_STATUS).map(Long::intValue).orElse(UNKNOWN_EXIT_STATUS);
    return new Outcome(pid, status, Instant.now());
  }

  /** Kills the group's shim server if one still runs (and is ours: pids get reused). */
  private static void stopServer(BundleFiles files, ShimAddress address) throws IOException, InterruptedException {
    Optional<Long> pid = files.readNumber(BundleFiles.SHIM_PID);
    if (pid.isEmpty()) {
      return;
    }
    Optional<ProcessHandle> handle = ProcessHandle.of(pid.get());
    if (handle.isEmpty() || !isOurServer(pid.get(), address)) {
      return;
    }
    handle.get().destroyForcibly();
    try {
      handle.get().onExit().get(5, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("shim server " + pid.get() + " did not exit after SIGKILL", e);
    }
  }

  static boolean isOurServer(long pid, ShimAddress address) {
    try {
      String cmdline = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
          StandardCharsets.UTF_8).replace('\0', ' ');
      return cmdline.contains("serve") && cmdline.contains(address.socket().toString());
    } catch (IOException e) {
      return false;
    }
  }
}
