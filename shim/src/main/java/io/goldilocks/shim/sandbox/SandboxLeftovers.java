package io.goldilocks.shim.sandbox;

import io.goldilocks.hypervisor.qemu.VmCleaner;
import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Cleans up after a sandbox whose process is gone (a crashed or killed shim server, a killed CLI), from what is on
 * disk only: kills its VM and helpers and removes the VM's run directory (the hypervisor's {@link VmCleaner}: pid files
 * checked against start times), then unmounts every rootfs and the share under the sandbox directory and removes the
 * sandbox directory. The shim's {@code delete} command and the tests use it.
 *
 * <p>The rootfs share ({@value #SHARE}) is never deleted recursively: only emptied directories go, so a mount that
 * could not be removed can never cost a container its files. Whatever else is in the sandbox directory is the shim
 * server's own state (the plugin host's bundle listing and cache) and is removed entirely, but only once nothing is
 * mounted anywhere below the sandbox directory.
 *
 * <p>Thread-safe (stateless).
 */
public final class SandboxLeftovers {
  /** The share directory's name in the sandbox directory (see {@link GuestSandboxFactory}). */
  static final String SHARE = "shared";

  /**
   * {@code shared/<container>/rootfs} is as deep as our own directories in the share go: the walk never enters a
   * rootfs, so a mount that was missed can never cost a container an (empty) directory.
   */
  private static final int SHARE_DEPTH = 2;

  private SandboxLeftovers() {}

  /**
   * Removes what sandbox {@code sandboxId} left under {@code runtimeRoot}. Idempotent; a sandbox that left nothing is
   * fine.
   *
   * @return a description of what was removed (empty when nothing was left)
   * @throws TtrpcException INVALID_ARGUMENT for a bad sandbox id, INTERNAL when something could not be removed
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
    removeSandboxDirectory(sandboxDir, removed);
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

  private static void removeSandboxDirectory(Path dir, List<String> removed) throws TtrpcException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try {
      removeEmptyDirectories(dir.resolve(SHARE));
      if (!mountsUnder(dir).isEmpty()) {
        throw TtrpcException.internal("%s still has mounts after unmounting: left in place", dir);
      }
      try (Stream<Path> entries = Files.list(dir)) {
        for (Path entry : entries.filter(e -> !e.getFileName().toString().equals(SHARE)).toList()) {
          deleteRecursively(entry);
        }
      }
      Files.delete(dir);
    } catch (java.nio.file.DirectoryNotEmptyException e) {
      throw TtrpcException.internal("%s is not empty after unmounting: left in place", dir);
    } catch (IOException e) {
      throw new TtrpcException(Code.INTERNAL, "cannot remove " + dir + ": " + e.getMessage(), e);
    }
    removed.add(dir.toString());
  }

  /** Removes the empty directories at and below {@code dir}, deepest first, down to {@link #SHARE_DEPTH}. */
  private static void removeEmptyDirectories(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir, SHARE_DEPTH)) {
      for (Path path : walk.sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList()) {
        if (Files.isDirectory(path) && !Files.isSymbolicLink(path)) {
          try (Stream<Path> entries = Files.list(path)) {
            if (entries.findAny().isEmpty()) {
              Files.delete(path);
            }
          }
        }
      }
    }
  }

  /** The shim server's own files (never a mount point: checked by the caller). */
  private static void deleteRecursively(Path path) throws IOException {
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (NoSuchFileException gone) {
      // removed meanwhile: that is the goal
    }
  }
}
