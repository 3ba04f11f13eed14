package io.goldilocks.shim.sandbox;

import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns how a sandbox's started processes end and reports it: one daemon thread per process asks the agent for the
 * exit (again and again while it runs), waits until the process's output reached its sinks, lets a container's execs
 * report before its init, then records the exit and queues its event. Thread-safe.
 */
final class ExitWaiter {
  private static final Logger log = LoggerFactory.getLogger(ExitWaiter.class);
  /** How long a process's output may take to drain after its exit before its sinks are closed anyway. */
  private static final Duration DRAIN = Duration.ofSeconds(30);
  /** How long an init's exit waits for its execs' exits, so they are published first. */
  private static final Duration EXECS_FIRST = Duration.ofSeconds(10);
  private static final Duration RETRY = Duration.ofMillis(200);
  private static final int MAX_FAILURES = 3;

  private final String sandboxId;
  private final GuestAgent agent;
  private final Duration waitDeadline;
  private final EventDispatcher events;
  private final Supplier<SandboxState> sandboxState;

  ExitWaiter(String sandboxId, GuestAgent agent, Duration waitDeadline, EventDispatcher events,
      Supplier<SandboxState> sandboxState) {
    this.sandboxId = sandboxId;
    this.agent = agent;
    this.waitDeadline = waitDeadline;
    this.events = events;
    this.sandboxState = sandboxState;
  }

  /** Starts watching a process that was just started in the guest. */
  void watch(Container container, GuestProcess process) {
    Thread thread = new Thread(() -> awaitExit(container, process),
        "sandbox-" + sandboxId + "-" + process.ref() + "-wait");
    thread.setDaemon(true);
    thread.start();
  }

  /** Records a process's exit and queues its event before any waiter wakes; false when it was already known. */
  boolean report(GuestProcess process, ExitStatus status) {
    return process.finish(status,
        () -> events.publish(new SandboxEvent.ProcessExited(sandboxId, process.ref(), process.pid(), status)));
  }

  private void awaitExit(Container container, GuestProcess process) {
    Optional<ExitStatus> status = waitInGuest(process.ref());
    try {
      process.pumps().finish(DRAIN);
      if (process.ref().isInit()) {
        long end = System.nanoTime() + EXECS_FIRST.toNanos();
        for (GuestProcess exec : container.execs()) {
          if (exec.state() != ProcessState.CREATED) {
            exec.awaitExit(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    status.ifPresent(s -> report(process, s));
  }

  /** Asks the agent until it answers; empty when the sandbox went away first (its teardown reports the loss). */
  private Optional<ExitStatus> waitInGuest(ProcessRef ref) {
    int failures = 0;
    while (true) {
      SandboxState state = sandboxState.get();
      if (state.isFinal() || state == SandboxState.STOPPING && failures > 0) {
        return Optional.empty();
      }
      try {
        return Optional.of(agent.waitProcess(ref, waitDeadline));
      } catch (TtrpcException e) {
        if (e.code() == Code.DEADLINE_EXCEEDED) {
          continue; // still running
        }
        if (e.code() == Code.UNAVAILABLE || e.code() == Code.CANCELLED || ++failures >= MAX_FAILURES) {
          log.debug("{}: waiting for the exit failed: {}", ref, e.toString());
          return Optional.empty();
        }
        sleep(RETRY);
      }
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
