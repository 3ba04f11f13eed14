package io.goldilocks.shim.launch;

import io.goldilocks.shim.rootfs.Mounts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Cleans a VM runtime directory from disk alone: SIGKILLs every process named by a {@code *.pid} file in it whose
 * command line mentions the directory (so a reused pid is never hit), unmounts whatever is mounted below it, and
 * removes it.
 *
 * <p>Thread-safe (stateless apart from the root).
 */
public final class RunDirVmLeftovers implements VmLeftovers {
  private final Path root;

  public RunDirVmLeftovers(Path root) {
    this.root = root;
  }

  public static RunDirVmLeftovers standard() {
    return new RunDirVmLeftovers(ShimGroup.VM_RUN_ROOT);
  }

  @Override
  public void clean(ShimGroup group) throws Exception {
    Path dir = group.vmRunDir(root);
    if (!Files.isDirectory(dir)) {
      return;
    }
    killProcesses(dir);
    Mounts.unmountUnder(dir);
    deleteRecursively(dir);
  }

  private static void killProcesses(Path dir) throws IOException, InterruptedException {
    try (DirectoryStream<Path> pidFiles = Files.newDirectoryStream(dir, "*.pid")) {
      for (Path pidFile : pidFiles) {
        long pid;
        try {
          pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).trim());
        } catch (NumberFormatException | NoSuchFileException e) {
          continue;
        }
        if (mentions(pid, dir)) {
          ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
          awaitGone(pid);
        }
      }
    }
  }

  private static boolean mentions(long pid, Path dir) {
    try {
      String cmdline = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
          StandardCharsets.UTF_8);
      return cmdline.contains(dir.toString());
    } catch (IOException e) {
      return false;
    }
  }

  private static void awaitGone(long pid) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (Files.exists(Path.of("/proc", Long.toString(pid))) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (NoSuchFileException gone) {
      // already removed by someone else: that is the goal
    }
  }
}
