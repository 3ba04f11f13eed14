package io.goldilocks.shim.agent;

import java.time.Duration;
import java.util.Objects;

/**
 * Deadlines for calls into the guest agent. Immutable.
 *
 * @param callTimeout every unary call that should answer promptly (create, signal, pause, stats, ...)
 * @param startTimeout StartContainer and ExecProcess: runc starting a process in a TCG guest is slow
 * @param removeTimeout RemoveContainer and DestroySandbox (kill, wait for exits, runc delete)
 */
public record AgentClientConfig(Duration callTimeout, Duration startTimeout, Duration removeTimeout) {
  public AgentClientConfig {
    Objects.requireNonNull(callTimeout, "callTimeout");
    Objects.requireNonNull(startTimeout, "startTimeout");
    Objects.requireNonNull(removeTimeout, "removeTimeout");
  }

  /** 30 s for ordinary calls, 2 min to start a process, 1 min to remove. */
  public static AgentClientConfig defaults() {
    return new AgentClientConfig(Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(1));
  }
}
