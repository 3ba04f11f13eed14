package io.goldilocks.shim.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bounded, ordered queue of task events with one sender thread, as containerd's own shim publisher
 * ({@code pkg/shim/publisher.go}): 2048 events, each tried up to 5 times with a linear back-off (1 s × attempt), then
 * dropped with an error in the log. Events leave in the order they were published; an event is retried before the
 * next one is tried, so containerd never sees them reordered.
 *
 * <p>{@link #publish} blocks while the queue is full (back-pressure rather than loss). {@link #close} stops accepting,
 * drains what is queued within a deadline, then stops the sender.
 *
 * <p>Thread-safe.
 */
public final class EventQueue implements EventPublisher, AutoCloseable {
  public static final int CAPACITY = 2048;
  public static final int MAX_ATTEMPTS = 5;
  public static final Duration BACKOFF_UNIT = Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(EventQueue.class);

  private record Item(TaskEvent event, Instant at) {}

  private final BlockingQueue<Item> queue;
  private final EventSender sender;
  private final int maxAttempts;
  private final Duration backoffUnit;
  private final Clock clock;
  private final Thread thread;
  private final Object idle = new Object();
  /** Guarded by {@link #idle}: events accepted and not yet sent or dropped. */
  private int outstanding;
  private volatile boolean closed;

  public EventQueue(EventSender sender) {
    this(sender, CAPACITY, MAX_ATTEMPTS, BACKOFF_UNIT, Clock.systemUTC());
  }

  public EventQueue(EventSender sender, int capacity, int maxAttempts, Duration backoffUnit, Clock clock) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.sender = sender;
    this.maxAttempts = maxAttempts;
    this.backoffUnit = backoffUnit;
    this.clock = clock;
    this.thread = new Thread(this::forward, "event-sender");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  @Override
  public void publish(TaskEvent event) {
    if (closed) {
      log.warn("event queue closed, dropping {} for {}", event.topic(), event.containerId());
      return;
    }
    synchronized (idle) {
      outstanding++;
    }
    try {
      queue.put(new Item(event, clock.instant()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finished();
      log.warn("interrupted while queueing {} for {}: dropped", event.topic(), event.containerId());
    }
  }

  private void forward() {
    while (true) {
      Item item;
      try {
        item = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      try {
        deliver(item);
      } catch (InterruptedException e) {
        return;
      } finally {
        finished();
      }
    }
  }

  private void finished() {
    synchronized (idle) {
      outstanding--;
      idle.notifyAll();
    }
  }

  private void deliver(Item item) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        sender.send(item.event(), item.at());
        return;
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        if (attempt >= maxAttempts) {
          log.error("dropping event {} for {} after {} attempts", item.event().topic(), item.event().containerId(),
              attempt, e);
          return;
        }
        log.warn("sending event {} for {} failed (attempt {}): {}", item.event().topic(),
            item.event().containerId(), attempt, e.toString());
        Thread.sleep(backoffUnit.multipliedBy(attempt).toMillis());
      }
    }
  }

  /** Events waiting to be sent (not counting one being sent). */
  public int pending() {
    return queue.size();
  }

  /** Stops accepting, waits up to {@code deadline} for everything queued to be sent, then stops the sender. */
  public void close(Duration deadline) {
    closed = true;
    long end = System.nanoTime() + deadline.toNanos();
    synchronized (idle) {
      while (outstanding > 0) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          log.warn("event queue not drained within {}: {} events dropped", deadline, outstanding);
          break;
        }
        try {
          idle.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    thread.interrupt();
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
