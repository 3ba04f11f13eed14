package io.goldilocks.shim.events;

import io.goldilocks.shim.sandbox.ProcessRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ordering rules containerd relies on, in one place:
 *
 * <ol>
 *   <li><b>start before exit</b>: a process's {@code /tasks/exit} is held while a Start of that process is in flight
 *       ({@link #beginStart}) and released right after its {@code /tasks/start} or {@code /tasks/exec-started}
 *       (or when the start failed). A process that exits faster than Start returns is the usual case in a VM.</li>
 *   <li><b>execs before init</b>: a container's init {@code /tasks/exit} is held until every exec of that container
 *       that published {@code /tasks/exec-started} has published its {@code /tasks/exit} (containerd and CRI treat
 *       the init's exit as the end of the task).</li>
 * </ol>
 *
 * Everything else passes straight through, in order. Events are emitted downstream while holding this object's lock,
 * so the downstream sees exactly the order decided here.
 *
 * <p>Thread-safe.
 */
public final class EventOrdering implements EventPublisher {
  private final EventPublisher downstream;

  /** Guarded by this: processes whose Start is in flight. */
  private final Set<ProcessRef> starting = new HashSet<>();
  /** Guarded by this: per container, execs that published exec-started and not yet their exit. */
  private final Map<String, Set<String>> runningExecs = new HashMap<>();
  /** Guarded by this: exits held by rule 1, per process. */
  private final Map<ProcessRef, TaskEvent.Exited> heldUntilStarted = new HashMap<>();
  /** Guarded by this: init exits held by rule 2, per container. */
  private final Map<String, TaskEvent.Exited> heldUntilExecsExit = new HashMap<>();

  public EventOrdering(EventPublisher downstream) {
    this.downstream = downstream;
  }

  /** Announces that Start of {@code process} is about to run: its exit waits for {@link #publish} of its start. */
  public synchronized void beginStart(ProcessRef process) {
    starting.add(process);
  }

  /** The Start of {@code process} failed: nothing will be published for it, release what was held. */
  public synchronized void startFailed(ProcessRef process) {
    starting.remove(process);
    release(process);
  }

  @Override
  public synchronized void publish(TaskEvent event) {
    if (event instanceof TaskEvent.Started started) {
      downstream.publish(started);
      startPublished(ProcessRef.init(started.containerId()));
    } else if (event instanceof TaskEvent.ExecStarted started) {
      downstream.publish(started);
      runningExecs.computeIfAbsent(started.containerId(), c -> new HashSet<>()).add(started.execId());
      startPublished(ProcessRef.exec(started.containerId(), started.execId()));
    } else if (event instanceof TaskEvent.Exited exited) {
      exited(exited);
    } else {
      downstream.publish(event);
    }
  }

  private void startPublished(ProcessRef process) {
    starting.remove(process);
    release(process);
  }

  private void release(ProcessRef process) {
    TaskEvent.Exited held = heldUntilStarted.remove(process);
    if (held != null) {
      exited(held);
    }
  }

  private void exited(TaskEvent.Exited exited) {
    ProcessRef process = exited.ref();
    if (starting.contains(process)) {
      heldUntilStarted.put(process, exited);
      return;
    }
    if (process.isInit()) {
      Set<String> execs = runningExecs.get(process.containerId());
      if (execs != null && !execs.isEmpty()) {
        heldUntilExecsExit.put(process.containerId(), exited);
        return;
      }
      runningExecs.remove(process.containerId());
      downstream.publish(exited);
      return;
    }
    downstream.publish(exited);
    Set<String> execs = runningExecs.get(process.containerId());
    if (execs != null) {
      execs.remove(process.execId());
      if (execs.isEmpty()) {
        TaskEvent.Exited init = heldUntilExecsExit.remove(process.containerId());
        if (init != null) {
          runningExecs.remove(process.containerId());
          downstream.publish(init);
        }
      }
    }
  }

  /** Exits currently held back (diagnostics, tests). */
  public synchronized List<TaskEvent.Exited> held() {
    List<TaskEvent.Exited> all = new ArrayList<>(heldUntilStarted.values());
    all.addAll(heldUntilExecsExit.values());
    return all;
  }

  /**
   * Forgets an exec that will never report an exit (deleted, or lost without one), so it cannot hold its
   * container's init exit forever.
   */
  public synchronized void forgetExec(ProcessRef exec) {
    starting.remove(exec);
    heldUntilStarted.remove(exec);
    Set<String> execs = runningExecs.get(exec.containerId());
    if (execs != null && execs.remove(exec.execId()) && execs.isEmpty()) {
      TaskEvent.Exited init = heldUntilExecsExit.remove(exec.containerId());
      if (init != null) {
        runningExecs.remove(exec.containerId());
        downstream.publish(init);
      }
    }
  }
}
