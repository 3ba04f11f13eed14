package io.goldilocks.agent.event;

import io.goldilocks.ttrpc.TtrpcException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The guest's outbox of events: bounded, ordered, numbered, with one subscriber at a time.
 *
 * <p>Events published while no host is subscribed wait here (at most {@code capacity}; beyond that the oldest are
 * dropped and the sequence numbers show the gap). A subscriber peeks, sends, then acknowledges, so an event whose
 * send failed is delivered to the next subscriber. A new subscription replaces the old one (the host reconnected);
 * the old one's next {@link Subscription#next} raises CANCELLED.
 *
 * <p>Thread-safe: all state is guarded by {@code this}.
 */
public final class EventQueue {
  /** Default bound, as documented in agent.proto. */
  public static final int DEFAULT_CAPACITY = 4096;

  /** An event with its sequence number (1, 2, 3, ... per agent run). Immutable. */
  public record Sequenced(long sequence, AgentEvent event) {}

  private final int capacity;
  private final ArrayDeque<Sequenced> pending = new ArrayDeque<>(); // guarded by this
  private long nextSequence = 1; // guarded by this
  private long dropped; // guarded by this
  private Subscription current; // guarded by this

  public EventQueue(int capacity) {
    this.capacity = capacity;
  }

  /** Queues an event; never blocks. */
  public synchronized void publish(AgentEvent event) {
    if (pending.size() == capacity) {
      pending.removeFirst();
      dropped++;
    }
    pending.addLast(new Sequenced(nextSequence++, event));
    notifyAll();
  }

  /** Events dropped on overflow since start. */
  public synchronized long dropped() {
    return dropped;
  }

  /** Events waiting for delivery. */
  public synchronized int pendingCount() {
    return pending.size();
  }

  /** Starts a subscription, ending the previous one. */
  public synchronized Subscription subscribe() {
    current = new Subscription();
    notifyAll();
    return current;
  }

  /** One subscriber's view. Use from one thread. */
  public final class Subscription {
    private Subscription() {}

    /** The oldest undelivered event, waiting up to {@code waitMillis}; null when none arrived in time. */
    public Sequenced next(long waitMillis) throws TtrpcException, InterruptedException {
      synchronized (EventQueue.this) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        while (true) {
          if (current != this) {
            throw TtrpcException.cancelled("a newer Events subscription replaced this one");
          }
          if (!pending.isEmpty()) {
            return pending.peekFirst();
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return null;
          }
          TimeUnit.NANOSECONDS.timedWait(EventQueue.this, left);
        }
      }
    }

    /** Marks {@code delivered} (from {@link #next}) as sent; it will not be offered again. */
    public void acknowledge(Sequenced delivered) {
      synchronized (EventQueue.this) {
        if (pending.peekFirst() == delivered) {
          pending.removeFirst();
        }
      }
    }
  }
}
