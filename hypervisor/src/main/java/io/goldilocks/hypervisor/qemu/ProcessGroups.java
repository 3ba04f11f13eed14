package io.goldilocks.hypervisor.qemu;

import java.io.File;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Signals process groups through kill(1): the JDK can signal one pid only. Thread-safe (stateless). */
final class ProcessGroups {
  private ProcessGroups() {}

  /** SIGKILL to process group {@code pgid}; a group that is already gone is fine. */
  static void kill(long pgid) {
    if (pgid <= 1) {
      throw new IllegalArgumentException("refusing to signal process group " + pgid);
    }
    try {
      Process kill = new ProcessBuilder("kill", "-s", "KILL", "--", "-" + pgid)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!kill.waitFor(5, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
      }
    } catch (IOException e) {
      // kill(1) missing: the caller also destroys the leader itself; nothing better to do here.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
