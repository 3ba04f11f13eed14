package io.goldilocks.ttrpc;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded buffer of one stream's received messages (serialized protobuf), filled by the connection's reader
 * thread and drained by the stream's consumer. Bounded by message count and bytes (one message is always
 * admitted), so a fast sender cannot exhaust memory; a full inbox makes the reader wait, which pushes back on the
 * sender through the transport.
 *
 * <p>States: OPEN → ENDED (clean end: {@link #take} returns null after the queued messages) or FAILED (take throws
 * the failure after the queued messages, or at once when discarded). Thread-safe.
 */
final class Inbox {
  enum Offer { ACCEPTED, CLOSED, FULL }

  static final int DEFAULT_MAX_MESSAGES = 64;
  static final long DEFAULT_MAX_BYTES = 16L << 20;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private final int maxMessages;
  private final long maxBytes;
  // guarded by lock:
  private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
  private long bytes;
  private boolean ended;
  private TtrpcException failure;

  Inbox() {
    this(DEFAULT_MAX_MESSAGES, DEFAULT_MAX_BYTES);
  }

  Inbox(int maxMessages, long maxBytes) {
    this.maxMessages = maxMessages;
    this.maxBytes = maxBytes;
  }

  /** Queues a message, waiting up to {@code timeoutNanos} for room. */
  Offer offer(byte[] message, long timeoutNanos) throws InterruptedException {
    lock.lock();
    try {
      long nanos = timeoutNanos;
      while (!isTerminal() && isFull(message.length)) {
        if (nanos <= 0) {
          return Offer.FULL;
        }
        nanos = notFull.awaitNanos(nanos);
      }
      if (isTerminal()) {
        return Offer.CLOSED;
      }
      queue.add(message);
      bytes += message.length;
      notEmpty.signal();
      return Offer.ACCEPTED;
    } finally {
      lock.unlock();
    }
  }

  /** No more messages will come: consumers get null after draining the queue. No-op once terminal. */
  void end() {
    lock.lock();
    try {
      if (!isTerminal()) {
        ended = true;
        notEmpty.signalAll();
        notFull.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Ends with a failure; {@code discardQueued} drops undelivered messages. No-op once terminal. */
  void fail(TtrpcException cause, boolean discardQueued) {
    lock.lock();
    try {
      if (!isTerminal()) {
        failure = cause;
        if (discardQueued) {
          queue.clear();
          bytes = 0;
        }
        notEmpty.signalAll();
        notFull.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * The next message; null at a clean end. {@code timeoutNanos < 0} waits forever; running out of time throws
   * DEADLINE_EXCEEDED and leaves the inbox usable.
   */
  byte[] take(long timeoutNanos) throws TtrpcException {
    lock.lock();
    try {
      long nanos = timeoutNanos;
      while (queue.isEmpty() && !isTerminal()) {
        if (timeoutNanos < 0) {
          notEmpty.await();
        } else if (nanos <= 0) {
          throw TtrpcException.deadlineExceeded("no stream message within %d ms",
              TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
        } else {
          nanos = notEmpty.awaitNanos(nanos);
        }
      }
      byte[] message = queue.poll();
      if (message != null) {
        bytes -= message.length;
        notFull.signal();
        return message;
      }
      if (failure != null) {
        throw new TtrpcException(failure.code(), failure.getMessage(), failure);
      }
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TtrpcException.cancelled("interrupted while waiting for a stream message");
    } finally {
      lock.unlock();
    }
  }

  boolean isOpen() {
    lock.lock();
    try {
      return !isTerminal();
    } finally {
      lock.unlock();
    }
  }

  private boolean isTerminal() {
    return ended || failure != null;
  }

  private boolean isFull(int incoming) {
    return !queue.isEmpty() && (queue.size() >= maxMessages || bytes + incoming > maxBytes);
  }
}
