package io.goldilocks.shim.events;

import io.goldilocks.shim.rootfs.MountSpec;
import io.goldilocks.shim.sandbox.ProcessRef;
import java.time.Instant;
import java.util.List;

/**
 * The events a shim owes containerd (anchors.md §4 "Events"), as domain records; {@link EventEncoder} turns them into
 * {@code containerd.events.*} messages at the edge. Immutable, thread-safe.
 */
public sealed interface TaskEvent {
  /** The container the event is about. */
  String containerId();

  /** containerd's topic, e.g. {@code /tasks/exit}. */
  String topic();

  /** {@code /tasks/create}: Create succeeded. */
  record Created(String containerId, String bundle, List<MountSpec> rootfs, String stdin, String stdout,
      String stderr, boolean terminal, int pid) implements TaskEvent {
    public String topic() {
      return "/tasks/create";
    }
  }

  /** {@code /tasks/start}: the init process started. */
  record Started(String containerId, int pid) implements TaskEvent {
    public String topic() {
      return "/tasks/start";
    }
  }

  /** {@code /tasks/exec-added}: Exec succeeded (not started yet). */
  record ExecAdded(String containerId, String execId) implements TaskEvent {
    public String topic() {
      return "/tasks/exec-added";
    }
  }

  /** {@code /tasks/exec-started}: an exec process started. */
  record ExecStarted(String containerId, String execId, int pid) implements TaskEvent {
    public String topic() {
      return "/tasks/exec-started";
    }
  }

  /** {@code /tasks/exit}: a process ended; {@code execId} empty for the init process. */
  record Exited(String containerId, String execId, int pid, int exitStatus, Instant exitedAt) implements TaskEvent {
    public String topic() {
      return "/tasks/exit";
    }

    public ProcessRef ref() {
      return new ProcessRef(containerId, execId);
    }
  }

  /** {@code /tasks/delete}: a process was deleted; {@code execId} empty for the init process (the container). */
  record Deleted(String containerId, String execId, int pid, int exitStatus, Instant exitedAt) implements TaskEvent {
    public String topic() {
      return "/tasks/delete";
    }
  }

  /** {@code /tasks/paused}. */
  record Paused(String containerId) implements TaskEvent {
    public String topic() {
      return "/tasks/paused";
    }
  }

  /** {@code /tasks/resumed}. */
  record Resumed(String containerId) implements TaskEvent {
    public String topic() {
      return "/tasks/resumed";
    }
  }

  /** {@code /tasks/oom}: the guest's OOM killer hit a process of the container. */
  record OomKilled(String containerId) implements TaskEvent {
    public String topic() {
      return "/tasks/oom";
    }
  }
}
