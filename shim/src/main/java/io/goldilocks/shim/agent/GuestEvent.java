package io.goldilocks.shim.agent;

/** An event the guest pushed on the Events stream, checked. Immutable values. */
public sealed interface GuestEvent {
  /** 1, 2, 3, ... per agent run; a jump means the guest dropped events (its queue overflowed). */
  long sequence();

  String containerId();

  /** A process exited; exec id "" is the container's init. */
  record ProcessExited(long sequence, String containerId, String execId, int pid, GuestExit exit)
      implements GuestEvent {}

  /** The guest's OOM killer hit a process of the container. */
  record OomKilled(long sequence, String containerId) implements GuestEvent {}
}
