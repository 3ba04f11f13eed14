package io.goldilocks.shim.sandbox;

import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;

/**
 * A sandbox's VM did not come up. Carries the last lines the guest printed on its console, which usually say why
 * (kernel panic, agent crash). The message includes them too, so a log line is enough to diagnose a failed boot.
 * Immutable.
 */
public final class SandboxBootException extends TtrpcException {
  private static final long serialVersionUID = 1L;

  private final String consoleTail;

  public SandboxBootException(Code code, String message, String consoleTail, Throwable cause) {
    super(code, withTail(message, consoleTail), cause);
    this.consoleTail = consoleTail == null ? "" : consoleTail;
  }

  /** The last lines of the guest console (bounded); empty when the guest printed nothing. */
  public String consoleTail() {
    return consoleTail;
  }

  private static String withTail(String message, String tail) {
    if (tail == null || tail.isBlank()) {
      return message + " (the guest console is empty)";
    }
    return message + "\n--- guest console (tail) ---\n" + tail.stripTrailing();
  }
}
