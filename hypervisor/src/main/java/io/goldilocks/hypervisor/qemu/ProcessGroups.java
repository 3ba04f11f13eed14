package io.goldilocks.hypervisor.qemu;

import java.io.File;
import java.io.IOException;
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
}
