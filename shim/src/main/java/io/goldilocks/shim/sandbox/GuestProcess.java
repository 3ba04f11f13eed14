package io.goldilocks.shim.sandbox;

import io.goldilocks.ttrpc.TtrpcException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One process of a sandbox (a container's init or an exec) as the host tracks it: its {@link ProcessState}, pid,
 * stdio pumps and exit. Thread-safe: state and pid are guarded by this; the exit is a future completed once.
 */
final class GuestProcess {
  private final ProcessRef ref;
  private final boolean terminal;
  private final byte[] execSpec;
  private final StdioPumps pumps;
  private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
  /** Guarded by this. */
  private ProcessState state = ProcessState.CREATED;
  /** Guarded by this. */
  private int pid;

  /** {@code execSpec} is the OCI process JSON for an exec, null for a container's init. */
  GuestProcess(ProcessRef ref, boolean terminal, byte[] execSpec, StdioPumps pumps) {
    this.ref = ref;
    this.terminal = terminal;
    this.execSpec = execSpec;
    this.pumps = pumps;
  }

  ProcessRef ref() {
    return ref;
  }

  boolean terminal() {
    return terminal;
  }

  byte[] execSpec() {
    return execSpec;
  }

  StdioPumps pumps() {
    return pumps;
  }

  synchronized ProcessState state() {
    return state;
  }

  synchronized int pid() {
    return pid;
  }

  /** Fails with FAILED_PRECONDITION unless the process is in {@code expected}. */
  synchronized void require(ProcessState expected, String action) throws TtrpcException {
    if (state != expected) {
      throw TtrpcException.failedPrecondition("cannot %s %s: it is %s, not %s", action, ref, state, expected);
    }
  }

  /** Fails unless the process exists in the guest and has not exited: NOT_FOUND once stopped, as runc's shim. */
  synchronized void requireAlive(String action) throws TtrpcException {
    if (state == ProcessState.STOPPED) {
      throw TtrpcException.notFound("cannot %s %s: process already finished", action, ref);
    }
    if (!state.isAlive()) {
      throw TtrpcException.failedPrecondition("cannot %s %s: it is %s", action, ref, state);
    }
  }

  /** Moves along an allowed transition. */
  synchronized void moveTo(ProcessState next) throws TtrpcException {
    if (!state.canMoveTo(next)) {
      throw TtrpcException.failedPrecondition("%s cannot go from %s to %s", ref, state, next);
    }
    state = next;
  }

  /** CREATED → RUNNING with its guest pid. */
  synchronized void started(int guestPid) throws TtrpcException {
    moveTo(ProcessState.RUNNING);
    pid = guestPid;
  }

  /**
   * Records the exit (the first one wins: a real exit and a loss may race). {@code report} runs before any waiter
   * wakes, so an exit event queued there precedes whatever a waiter does next (an init's exit after its execs').
   *
   * @return true when this call recorded it
   */
  synchronized boolean finish(ExitStatus status, Runnable report) {
    if (state == ProcessState.STOPPED) {
      return false;
    }
    state = ProcessState.STOPPED;
    report.run();
    exit.complete(status);
    return true;
  }

  /**
   * Waits up to {@code timeout} for the exit without consuming it.
   *
   * @return whether the exit is known
   */
  boolean awaitExit(Duration timeout) throws InterruptedException {
    try {
      exit.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException("exit futures are never completed exceptionally", e);
    }
  }

  /** The exit, once known. */
  Optional<ExitStatus> exitStatus() {
    return Optional.ofNullable(exit.getNow(null));
  }

  /** Blocks until the exit is known. */
  ExitStatus awaitExit() throws InterruptedException {
    try {
      return exit.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("exit futures are never completed exceptionally", e);
    }
  }

  synchronized ProcessStatus snapshot() {
    return new ProcessStatus(ref, pid, state, terminal, exitStatus());
  }
}
