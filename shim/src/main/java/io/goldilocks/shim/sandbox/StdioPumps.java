package io.goldilocks.shim.sandbox;

import io.goldilocks.ttrpc.TtrpcException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects one process's {@link Stdio} to the guest through the agent's pumps: one per connected output stream
 * (guest to sink), one for stdin (host stream to guest, closing the process's stdin at its end). Closes the sinks
 * once the output is drained or the process is lost. Thread-safe: methods synchronize on this.
 */
final class StdioPumps {
  private static final Logger log = LoggerFactory.getLogger(StdioPumps.class);

  private final ProcessRef ref;
  private final Stdio stdio;
  private final boolean terminal;
  /** Guarded by this. */
  private final List<GuestAgent.Pump> outputs = new ArrayList<>();
  /** Guarded by this. */
  private GuestAgent.Pump stdin;
  /** Guarded by this. */
  private boolean sinksClosed;

  StdioPumps(ProcessRef ref, Stdio stdio, boolean terminal) {
    this.ref = ref;
    this.stdio = stdio;
    this.terminal = terminal;
  }

  /** What the guest must connect for this process. */
  GuestAgent.StdioFlags flags() {
    return new GuestAgent.StdioFlags(terminal, stdio.stdin().isPresent(), true, !terminal);
  }

  /**
   * Starts the pumps, once the guest knows the process (before it starts is best: nothing is lost either way, the
   * guest buffers output until a reader comes).
   */
  synchronized void start(GuestAgent agent) throws TtrpcException {
    outputs.add(agent.pumpOutput(ref, false, stdio.stdout()));
    if (terminal) {
      close(stdio.stderr());
    } else {
      outputs.add(agent.pumpOutput(ref, true, stdio.stderr()));
    }
    if (stdio.stdin().isPresent()) {
      stdin = agent.pumpStdin(ref, stdio.stdin().get());
    }
  }

  /**
   * Waits until every output byte reached its sink, up to {@code timeout}; then stops feeding stdin and closes the
   * sinks whatever happened.
   *
   * @return true when the output was drained in time
   */
  boolean finish(Duration timeout) throws InterruptedException {
    List<GuestAgent.Pump> pumps;
    synchronized (this) {
      pumps = List.copyOf(outputs);
    }
    long end = System.nanoTime() + timeout.toNanos();
    boolean drained = true;
    for (GuestAgent.Pump pump : pumps) {
      drained &= await(pump.done(), end);
    }
    if (!drained) {
      log.warn("{}: output not drained within {}; closing its sinks", ref, timeout);
    }
    closeSinks();
    return drained;
  }

  /** Stops every pump and closes the sinks at once (process gone, sandbox lost). Idempotent. */
  void closeSinks() {
    List<GuestAgent.Pump> pumps;
    synchronized (this) {
      if (sinksClosed) {
        return;
      }
      sinksClosed = true;
      pumps = new ArrayList<>(outputs);
      if (stdin != null) {
        pumps.add(stdin);
      }
    }
    for (GuestAgent.Pump pump : pumps) {
      if (!pump.done().isDone()) {
        pump.close();
      }
    }
    close(stdio.stdout());
    close(stdio.stderr());
  }

  private boolean await(CompletableFuture<Long> done, long endNanos) throws InterruptedException {
    try {
      done.get(Math.max(0, endNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      log.debug("{}: output ended with {}", ref, e.getCause().toString());
      return true; // ended: nothing more will come
    }
  }

  private static void close(OutputStream out) {
    try {
      out.close();
    } catch (IOException e) {
      log.debug("closing a stdio sink: {}", e.toString());
    }
  }
}
