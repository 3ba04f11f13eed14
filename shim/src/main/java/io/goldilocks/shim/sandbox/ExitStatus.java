package io.goldilocks.shim.sandbox;

import java.time.Instant;
import java.util.Objects;

/**
 * How a process ended. Immutable, thread-safe.
 *
 * <p>{@code code} follows the shell's and containerd's convention: the exit code for a normal exit, {@code 128 + n}
 * for death by signal {@code n} (137 for SIGKILL, 143 for SIGTERM). When the sandbox was lost before the process's
 * exit was known (the VM died, the agent stopped answering), {@code code} is {@link #SANDBOX_LOST} (255, what
 * containerd reports for a task whose shim died) and {@code sandboxLost} is true; {@link Sandbox#failure()} then says
 * why.
 *
 * @param code exit code, or 128 + signal number
 * @param exitedAt when the exit was observed (guest clock for real exits, host clock for a lost sandbox)
 * @param sandboxLost true when the process did not exit by itself but was lost with its sandbox
 */
public record ExitStatus(int code, Instant exitedAt, boolean sandboxLost) {
  /** The code reported for processes lost with their sandbox. */
  public static final int SANDBOX_LOST = 255;

  public ExitStatus {
    Objects.requireNonNull(exitedAt, "exitedAt");
    if (code < 0 || code > 255) {
      throw new IllegalArgumentException("exit code out of range 0..255: " + code);
    }
  }

  /** A normal exit (or 128 + signal). */
  public static ExitStatus exited(int code, Instant exitedAt) {
    return new ExitStatus(code, exitedAt, false);
  }

  /** A process lost with its sandbox. */
  public static ExitStatus lost(Instant at) {
    return new ExitStatus(SANDBOX_LOST, at, true);
  }

  /** The signal that killed the process, or 0 when it exited normally (by the 128 + n convention). */
  public int signal() {
    return !sandboxLost && code > 128 ? code - 128 : 0;
  }
}
