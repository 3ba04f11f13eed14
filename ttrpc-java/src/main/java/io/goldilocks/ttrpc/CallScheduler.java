package io.goldilocks.ttrpc;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * Runs one connection's calls on the server's workers, at most {@code maxRunning} at once; further calls wait in a
 * FIFO of at most {@code maxQueued}, beyond which they are refused. Thread-safe.
 */
final class CallScheduler {
  private final Executor workers;
  private final int maxRunning;
  private final int maxQueued;
  // guarded by this:
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  private int running;

  CallScheduler(Executor workers, int maxRunning, int maxQueued) {
    this.workers = workers;
    this.maxRunning = maxRunning;
    this.maxQueued = maxQueued;
  }

  /** False when the connection already has too many calls: the caller answers RESOURCE_EXHAUSTED. */
  boolean submit(Runnable call) {
    synchronized (this) {
      if (running >= maxRunning) {
        if (queue.size() >= maxQueued) {
          return false;
        }
        queue.add(call);
        return true;
      }
      running++;
    }
    start(call);
    return true;
  }

  private void start(Runnable call) {
    workers.execute(() -> runThenNext(call));
  }

  private void runThenNext(Runnable call) {
    Runnable next = call;
    while (next != null) {
      try {
        next.run();
      } finally {
        synchronized (this) {
          next = queue.poll();
          if (next == null) {
            running--;
          }
        }
      }
    }
  }
}
