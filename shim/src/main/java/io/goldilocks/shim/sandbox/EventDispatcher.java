package io.goldilocks.shim.sandbox;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a sandbox's events to its listeners in publication order, one at a time, on one thread of its own, so a
 * slow listener never blocks the thread that published. Thread-safe.
 */
final class EventDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);

  private final List<Consumer<SandboxEvent>> listeners = new CopyOnWriteArrayList<>();
  private final ExecutorService thread;

  EventDispatcher(String sandboxId) {
    thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "sandbox-" + sandboxId + "-events");
      t.setDaemon(true);
      return t;
    });
  }

  EventSubscription subscribe(Consumer<SandboxEvent> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  void publish(SandboxEvent event) {
    try {
      thread.execute(() -> deliver(event));
    } catch (RejectedExecutionException e) {
      log.warn("event after close dropped: {}", event);
    }
  }

  private void deliver(SandboxEvent event) {
    for (Consumer<SandboxEvent> listener : listeners) {
      try {
        listener.accept(event);
      } catch (RuntimeException e) {
        log.warn("event listener failed on {}", event, e);
      }
    }
  }

  /** Delivers what is queued (up to a few seconds), then stops. */
  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
