package io.goldilocks.shim.sandbox;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Checks a sandbox's agent periodically: a check that fails or misses its deadline reports the sandbox lost, once,
 * and stops the watchdog. Thread-safe.
 */
final class Watchdog implements AutoCloseable {
  /** One health check; throws when the agent did not answer within {@code deadline}. */
  @FunctionalInterface
  interface Check {
    void run(Duration deadline) throws Exception;
  }

  private final ScheduledExecutorService timer;
  private final Duration interval;
  private final Duration deadline;
  private final Check check;
  private final Consumer<String> onLost;

  Watchdog(String sandboxId, Duration interval, Duration deadline, Check check, Consumer<String> onLost) {
    this.interval = interval;
    this.deadline = deadline;
    this.check = check;
    this.onLost = onLost;
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sandbox-" + sandboxId + "-watchdog");
      t.setDaemon(true);
      return t;
    });
  }

  void start() {
    timer.scheduleWithFixedDelay(this::checkOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void checkOnce() {
    try {
      check.run(deadline);
    } catch (Exception e) {
      if (timer.isShutdown()) {
        return;
      }
      timer.shutdown();
      onLost.accept("the agent did not answer its health check within " + deadline + ": " + e.getMessage());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
