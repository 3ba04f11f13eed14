package io.goldilocks.shim.sandbox;

import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one process's stdio between the host streams of its {@link Stdio} and the guest: one thread per connected
 * output stream (pulls from the agent, writes to the sink, closes the sink at the end), one for stdin (reads the host
 * stream, pushes to the agent, closes the guest side at end of file). Thread-safe.
 */
final class StdioPumps {
  private static final Logger log = LoggerFactory.getLogger(StdioPumps.class);
  /** Chunk size for stdin: the agent's per-message bound. */
  private static final int STDIN_CHUNK = 64 * 1024;

  private final GuestAgent agent;
  private final ProcessRef ref;
  private final Stdio stdio;
  private final boolean terminal;
  private final String threadPrefix;
  /** Guarded by this. */
  private final List<Thread> outputs = new ArrayList<>();
  private volatile boolean processEnded;

  StdioPumps(GuestAgent agent, ProcessRef ref, Stdio stdio, boolean terminal, String threadPrefix) {
    this.agent = agent;
    this.ref = ref;
    this.stdio = stdio;
    this.terminal = terminal;
    this.threadPrefix = threadPrefix;
  }

  /** What the guest must connect for this process. */
  GuestAgent.StdioFlags flags() {
    return new GuestAgent.StdioFlags(terminal, stdio.stdin().isPresent(), true, !terminal);
  }

  /** Starts the pumps (once the guest knows the process). */
  synchronized void start() {
    outputs.add(startThread("stdout", () -> pumpOutput(false, stdio.stdout())));
    if (terminal) {
      closeQuietly(stdio.stderr());
    } else {
      outputs.add(startThread("stderr", () -> pumpOutput(true, stdio.stderr())));
    }
    stdio.stdin().ifPresent(in -> startThread("stdin", () -> pumpStdin(in)));
  }

  /**
   * Waits until every output byte reached its sink, up to {@code timeout}; then closes the sinks whatever happened
   * and stops feeding stdin.
   *
   * @return true when the output was drained in time
   */
  boolean finish(Duration timeout) throws InterruptedException {
    processEnded = true;
    long end = System.nanoTime() + timeout.toNanos();
    boolean drained = true;
    List<Thread> threads;
    synchronized (this) {
      threads = List.copyOf(outputs);
    }
    for (Thread thread : threads) {
      thread.join(Math.max(1, (end - System.nanoTime()) / 1_000_000));
      drained &= !thread.isAlive();
    }
    if (!drained) {
      log.warn("{}: output not drained within {}; closing its sinks", ref, timeout);
    }
    closeSinks();
    return drained;
  }

  /** Closes the sinks at once (sandbox lost). */
  void closeSinks() {
    processEnded = true;
    closeQuietly(stdio.stdout());
    closeQuietly(stdio.stderr());
  }

  private void pumpOutput(boolean stderr, OutputStream sink) {
    try {
      agent.readOutput(ref, stderr, sink);
    } catch (TtrpcException e) {
      if (e.code() != Code.UNAVAILABLE && e.code() != Code.CANCELLED) {
        log.warn("{}: {} stopped: {}", ref, stderr ? "stderr" : "stdout", e.toString());
      }
    } finally {
      closeQuietly(sink);
    }
  }

  private void pumpStdin(InputStream in) {
    byte[] buffer = new byte[STDIN_CHUNK];
    try (GuestAgent.StdinSink sink = agent.openStdin(ref)) {
      int n;
      while (!processEnded && (n = in.read(buffer)) >= 0) {
        if (n > 0 && !processEnded) {
          sink.write(buffer, 0, n);
        }
      }
    } catch (TtrpcException | IOException e) {
      if (!processEnded) {
        log.debug("{}: stdin stopped: {}", ref, e.toString());
      }
      return;
    }
    if (!processEnded) {
      try {
        agent.closeStdin(ref);
      } catch (TtrpcException e) {
        log.debug("{}: closing stdin: {}", ref, e.toString());
      }
    }
  }

  private Thread startThread(String stream, Runnable body) {
    Thread thread = new Thread(body, threadPrefix + "-" + stream);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void closeQuietly(OutputStream out) {
    try {
      out.close();
    } catch (IOException e) {
      log.debug("closing a stdio sink: {}", e.toString());
    }
  }
}
