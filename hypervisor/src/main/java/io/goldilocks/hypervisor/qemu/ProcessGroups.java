package io.goldilocks.hypervisor.qemu;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Signals process groups through kill(1): the JDK can signal one pid only. Thread-safe (stateless). */
final class ProcessGroups {
  private ProcessGroups() {}

  /** SIGKILL to process group {@code pgid}; a group that is already gone is fine. */
  static void kill(long pgid) {
    kill(List.of(pgid));
  }

  /** SIGKILL to all these process groups in one kill(2) sweep, so none outlives another's death by much. */
  static void kill(List<Long> pgids) {
    if (pgids.isEmpty()) {
      return;
    }
    List<String> command = new ArrayList<>(List.of("kill", "-s", "KILL", "--"));
    for (long pgid : pgids) {
      if (pgid <= 1) {
        throw new IllegalArgumentException("refusing to signal process group " + pgid);
      }
      command.add("-" + pgid);
    }
    try {
      Process kill = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!kill.waitFor(5, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
      }
    } catch (IOException e) {
      // kill(1) missing: callers that own the process also destroy the leader itself.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits until no live (non-zombie) process belongs to any of these groups, at most {@code timeout}; false when some
   * still do. A SIGKILLed process needs a moment before the kernel is done with it.
   */
  static boolean awaitEmpty(List<Long> pgids, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (anyAlive(pgids)) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Whether a live (non-zombie) process is in one of these groups, read from /proc/<pid>/stat. */
  static boolean anyAlive(List<Long> pgids) {
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        try {
          String stat = Files.readString(proc.resolve("stat"));
          // fields after "(comm) ": state ppid pgrp ...; comm may hold spaces and parentheses
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          if (!fields[0].equals("Z") && pgids.contains(Long.parseLong(fields[2]))) {
            return true;
          }
        } catch (IOException | RuntimeException gone) {
          // exited while we looked
        }
      }
    } catch (IOException e) {
      return false; // no /proc: nothing to wait on
    }
    return false;
  }
}
