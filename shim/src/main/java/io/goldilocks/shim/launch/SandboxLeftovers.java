package io.goldilocks.shim.launch;

import io.goldilocks.hypervisor.qemu.VmCleaner;
import io.goldilocks.shim.rootfs.Mounts;
import io.goldilocks.shim.sandbox.GoldilocksConfig;
import io.goldilocks.shim.sandbox.SandboxConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Removes what a group's sandbox left on the host, from disk alone: the VM's processes and run directory (the
 * hypervisor's {@link VmCleaner}: pid files checked against start times) and the sandbox directory with the rootfs
 * bind mounts of its share. The directories come from {@link GoldilocksConfig}'s runtime root and the group's
 * {@link ShimGroup#sandboxId()}, exactly as the server created them.
 *
 * <p>Thread-safe (stateless).
 */
public final class SandboxLeftovers implements VmLeftovers {
  @Override
  public void clean(ShimGroup group) throws Exception {
    SandboxConfig config = GoldilocksConfig.load().sandbox(group.sandboxId()).build();
    VmCleaner.cleanup(config.vmRunRoot().resolve(config.id()));
    Path sandboxDir = config.sandboxDir();
    if (Files.isDirectory(sandboxDir)) {
      Mounts.unmountUnder(sandboxDir);
      deleteRecursively(sandboxDir);
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (NoSuchFileException gone) {
      // removed meanwhile: that is the goal
    }
  }
}
