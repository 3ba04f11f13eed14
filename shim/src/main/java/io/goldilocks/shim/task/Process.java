package io.goldilocks.shim.task;

import io.goldilocks.shim.io.IoSpec;
import io.goldilocks.shim.io.ProcessIo;
import io.goldilocks.shim.sandbox.ExitStatus;
import io.goldilocks.shim.sandbox.ProcessRef;
import io.goldilocks.ttrpc.TtrpcException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One process of a task: a container's init process or an exec process, with its {@link ProcessPhase} lifecycle.
 * Every phase change goes through {@link #moveTo}, which refuses a transition {@link ProcessPhase} does not list
 * with FAILED_PRECONDITION.
 *
 * <p>Thread-safe: phase, pid and exit are guarded by this object's lock; {@link #awaitExit} waits without it.
 */
public final class Process {
  private final ProcessRef ref;
  private final IoSpec io;
  private final ProcessIo streams;
  private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();

  /** Guarded by this. */
  private ProcessPhase phase = ProcessPhase.CREATED;
  /** Guarded by this. */
  private int pid;

  public Process(ProcessRef ref, IoSpec io, ProcessIo streams) {
    this.ref = ref;
    this.io = io;
    this.streams = streams;
  }

  public ProcessRef ref() {
    return ref;
  }

  public IoSpec io() {
    return io;
  }

  public ProcessIo streams() {
    return streams;
  }

  public synchronized ProcessPhase phase() {
    return phase;
  }

  public synchronized int pid() {
    return pid;
  }

  /** The exit, once STOPPED. */
  public Optional<ExitStatus> exitStatus() {
    return Optional.ofNullable(exit.getNow(null));
  }

  /** Moves to {@code next}; FAILED_PRECONDITION naming {@code action} when the lifecycle does not allow it. */
  public synchronized void moveTo(ProcessPhase next, String action) throws TtrpcException {
    if (!phase.canMoveTo(next)) {
      throw TtrpcException.failedPrecondition("cannot %s %s: process is %s", action, ref, phase.name().toLowerCase());
    }
    phase = next;
  }

  /** Throws FAILED_PRECONDITION unless the process is in one of {@code allowed}. */
  public synchronized void require(String action, ProcessPhase... allowed) throws TtrpcException {
    for (ProcessPhase p : allowed) {
      if (phase == p) {
        return;
      }
    }
    throw TtrpcException.failedPrecondition("cannot %s %s: process is %s", action, ref, phase.name().toLowerCase());
  }

  /**
   * Start returned {@code pid}: CREATED → RUNNING. When the exit already arrived (STOPPED) only the pid is recorded.
   *
   * @return true when the process is running (false: it already exited)
   */
  public synchronized boolean started(int pid) throws TtrpcException {
    if (this.pid == 0) {
      this.pid = pid;
    }
    if (phase == ProcessPhase.STOPPED) {
      return false;
    }
    moveTo(ProcessPhase.RUNNING, "start");
    return true;
  }

  /**
   * The process exited: → STOPPED and waiters released. Returns false for a duplicate (already stopped or deleted).
   */
  public synchronized boolean exited(int reportedPid, ExitStatus status) {
    if (!phase.canMoveTo(ProcessPhase.STOPPED)) {
      return false;
    }
    if (pid == 0) {
      pid = reportedPid;
    }
    phase = ProcessPhase.STOPPED;
    exit.complete(status);
    return true;
  }

  /** Blocks until the process has exited. */
  public ExitStatus awaitExit() throws InterruptedException {
    try {
      return exit.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("exit future never fails", e);
    }
  }
}
