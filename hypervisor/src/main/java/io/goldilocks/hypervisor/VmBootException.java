package io.goldilocks.hypervisor;

import java.util.List;

/**
 * The VM did not become ready: its deadline passed (DEADLINE_EXCEEDED) or QEMU exited while booting (UNAVAILABLE).
 * The VM has been torn down by the time this is thrown. The message ends with the console tail, because that is
 * where a guest says why it did not come up.
 */
public final class VmBootException extends HypervisorException {
  private final List<String> consoleTail;

  public VmBootException(Code code, String reason, List<String> consoleTail, Throwable cause) {
    super(code, reason + consoleSection(consoleTail), cause);
    this.consoleTail = List.copyOf(consoleTail);
  }

  /** The last lines of the guest console (at most {@link ConsoleLog#TAIL_LINES}). */
  public List<String> consoleTail() {
    return consoleTail;
  }

  private static String consoleSection(List<String> tail) {
    if (tail.isEmpty()) {
      return " (console log empty)";
    }
    return "\n--- last " + tail.size() + " console lines ---\n" + String.join("\n", tail);
  }
}
