package io.goldilocks.shim.sandbox;

import java.time.Instant;

/**
 * Something that happened in a sandbox without the caller asking: what the shim turns into containerd's {@code
 * TaskExit} and {@code TaskOOM} events. Immutable, thread-safe.
 */
public sealed interface SandboxEvent {
  /** The sandbox the event comes from. */
  String sandboxId();

  /**
   * A process exited (or was lost with its sandbox). Published once per process, after its output has reached its
   * sinks; a container's exec exits come before its init's exit.
   */
  record ProcessExited(String sandboxId, ProcessRef ref, int pid, ExitStatus status) implements SandboxEvent {}

  /** The guest kernel's OOM killer hit a process of this container. */
  record OomKilled(String sandboxId, String containerId, Instant at) implements SandboxEvent {}

  /**
   * The sandbox failed (VM died, agent stopped answering) and was torn down; every process in it was reported lost
   * before this event. The last event of the sandbox.
   */
  record SandboxFailed(String sandboxId, String reason, Instant at) implements SandboxEvent {}
}
