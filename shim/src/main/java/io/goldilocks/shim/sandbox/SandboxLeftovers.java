package io.goldilocks.shim.sandbox;

import io.goldilocks.hypervisor.qemu.VmCleaner;
import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Cleans up after a sandbox whose process is gone (a crashed shim, a killed CLI), from what is on disk only: kills
 * its VM and helpers and removes the VM's run directory (the hypervisor's {@link VmCleaner}), then unmounts every
 * rootfs and the share under the sandbox directory and removes the emptied directories. Never deletes recursively: a
 * mount that cannot be removed leaves its directory in place. Thread-safe (stateless).
 */
public final class SandboxLeftovers {
  /**
   * {@code <sandbox>/shared/<container>/rootfs} is as deep as our own directories go: the walk never enters a rootfs,
   * so a mount that was missed can never cost a container an (empty) directory.
   */
  private static final int MAX_DEPTH = 3;

  private SandboxLeftovers() {}

  /**
   * Removes what sandbox {@code sandboxId} left under {@code runtimeRoot}. Idempotent; a sandbox that left nothing is
   * fine.
   *
   * @return a description of what was removed (empty when nothing was left)
   * @throws TtrpcException INTERNAL when something could not be removed
   */
  public static List<String> cleanUp(Path runtimeRoot, String sandboxId) throws TtrpcException {
    if (!SandboxConfig.isValidId(sandboxId)) {
      throw TtrpcException.invalidArgument("invalid sandbox id '%s'", sandboxId);
    }
    List<String> removed = new ArrayList<>();
    Path vmDir = runtimeRoot.resolve("vm").resolve(sandboxId);
    try {
      VmCleaner.Result vm = VmCleaner.cleanup(vmDir);
      vm.killedPids().forEach(pid -> removed.add("process " + pid));
      if (vm.removedDirectory()) {
        removed.add(vmDir.toString());
      }
    } catch (IOException e) {
      throw new TtrpcException(Code.INTERNAL, "cannot clean up VM directory " + vmDir + ": " + e.getMessage(), e);
    }
    Path sandboxDir = runtimeRoot.resolve("sandbox").resolve(sandboxId);
    for (Path mount : mountsUnder(sandboxDir)) {
      HostCommand.run(Code.INTERNAL, List.of("umount", "--lazy", mount.toString()));
      removed.add("mount " + mount);
    }
    removeEmptyDirectories(sandboxDir, removed);
    return removed;
  }

  /** Mount points at or below {@code dir}, deepest first. */
  private static List<Path> mountsUnder(Path dir) throws TtrpcException {
    try {
      List<Path> mounts = new ArrayList<>();
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        String[] fields = line.split(" ");
        if (fields.length > 4) {
          Path point = Path.of(fields[4].replace("\\040", " "));
          if (point.startsWith(dir)) {
            mounts.add(point);
          }
        }
      }
      mounts.sort(Comparator.comparingInt(Path::getNameCount).reversed());
      return mounts;
    } catch (IOException e) {
      throw new TtrpcException(Code.INTERNAL, "cannot read the mount table: " + e.getMessage(), e);
    }
  }

  private static void removeEmptyDirectories(Path dir, List<String> removed) throws TtrpcException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir, MAX_DEPTH)) {
      for (Path path : walk.sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList()) {
        if (Files.isDirectory(path) && !Files.isSymbolicLink(path)) {
          try (Stream<Path> entries = Files.list(path)) {
            if (entries.findAny().isEmpty()) {
              Files.delete(path);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new TtrpcException(Code.INTERNAL, "cannot remove " + dir + ": " + e.getMessage(), e);
    }
    if (Files.exists(dir)) {
      throw TtrpcException.internal("%s is not empty after unmounting: left in place", dir);
    }
    removed.add(dir.toString());
  }
}
