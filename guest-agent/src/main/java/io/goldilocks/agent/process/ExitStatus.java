package io.goldilocks.agent.process;

import java.time.Instant;
import java.util.Objects;

/**
 * How a process ended, as a shell reports it: the exit code, or 128+n when killed by signal n. Immutable.
 *
 * @param status 0..255
 * @param exitedAt when the agent saw the exit
 */
public record ExitStatus(int status, Instant exitedAt) {
  public ExitStatus {
    if (status < 0 || status > 255) {
      throw new IllegalArgumentException("exit status out of range: " + status);
    }
    Objects.requireNonNull(exitedAt, "exitedAt");
  }
}
