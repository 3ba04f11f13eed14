package io.goldilocks.hypervisor.qemu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Cleans a VM's run directory from disk alone, for a process that did not start the VM (the shim's {@code delete}
 * with no live shim): kills the process group of every live pid file (checked against its start time so a reused
 * pid is never hit), waits for them to go, and removes the directory. Idempotent. Thread-safe (stateless).
 */
public final class VmCleaner {
  private static final Duration EXIT_WAIT = Duration.ofSeconds(10);

  private VmCleaner() {}

  /** What a cleanup did. */
  public record Result(List<Long> killedPids, boolean removedDirectory) {}

  public static Result cleanup(Path runDir) throws IOException {
    if (!Files.isDirectory(runDir)) {
      return new Result(List.of(), false);
    }
    List<PidFile> live = livePids(runDir);
    // Groups of live leaders, plus groups whose leader already exited but whose members still run (virtiofsd's
    // sandbox child): a group with live members keeps its id, so it cannot have been reused.
    List<Long> groups = new ArrayList<>(live.stream().map(PidFile::pid).toList());
    for (long pgid : recordedPids(runDir)) {
      if (!groups.contains(pgid) && ProcessGroups.anyAlive(List.of(pgid))) {
        groups.add(pgid);
      }
    }
    ProcessGroups.kill(groups);
    awaitGone(live);
    ProcessGroups.awaitEmpty(groups, EXIT_WAIT);
    deleteRecursively(runDir);
    return new Result(live.stream().map(PidFile::pid).toList(), true);
  }

  private static List<PidFile> livePids(Path runDir) throws IOException {
    List<PidFile> live = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(runDir, RunLayout.pidFileGlob())) {
      for (Path file : files) {
        PidFile.read(file).filter(PidFile::isAlive).ifPresent(live::add);
      }
    }
    return live;
  }

  private static List<Long> recordedPids(Path runDir) throws IOException {
    List<Long> pids = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(runDir, RunLayout.pidFileGlob())) {
      for (Path file : files) {
        PidFile.read(file).ifPresent(p -> pids.add(p.pid()));
      }
    }
    return pids;
  }

  private static void awaitGone(List<PidFile> pids) throws IOException {
    Instant deadline = Instant.now().plus(EXIT_WAIT);
    while (pids.stream().anyMatch(PidFile::isAlive)) {
      if (Instant.now().isAfter(deadline)) {
        throw new IOException("processes still alive after SIGKILL: " + pids);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for VM processes to exit", e);
      }
    }
  }

  /** Removes a directory tree; a missing one is fine. Does not follow symlinks. */
  static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(VmCleaner::deleteQuietlyIfGone);
    } catch (NoSuchFileException e) {
      // already gone
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static void deleteQuietlyIfGone(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
