package io.goldilocks.agent.event;

import io.goldilocks.agent.process.ExitStatus;

/** What the guest pushes to the host on the Events stream. Immutable values. */
public sealed interface AgentEvent {
  /** The container the event is about. */
  String containerId();

  /** A process exited (exec id "" = the init). */
  record ProcessExited(String containerId, String execId, long pid, ExitStatus status) implements AgentEvent {}

  /** The kernel's OOM killer killed a process of the container. */
  record OomKilled(String containerId) implements AgentEvent {}
}
