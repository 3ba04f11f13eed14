package io.goldilocks.ttrpc;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Frames over a {@link Transport}: serialized writes from any thread, and a read loop for the one reader thread.
 *
 * <p>A write may carry a deadline: waiting for the write lock past it fails just that write; a write that the peer
 * does not take in time closes the transport, because half a frame cannot be taken back (and a peer that stopped
 * reading must not hold callers forever).
 *
 * <p>Thread-safe for {@link #send}; {@link #readLoop} must be run by a single thread.
 */
final class FrameChannel {
  /** A write that missed its deadline; {@link #connectionClosed} tells whether the transport had to be closed. */
  static final class WriteTimeoutException extends IOException {
    private static final long serialVersionUID = 1L;
    private final boolean connectionClosed;

    WriteTimeoutException(String message, boolean connectionClosed) {
      super(message);
      this.connectionClosed = connectionClosed;
    }

    boolean connectionClosed() {
      return connectionClosed;
    }
  }

  static final long NO_DEADLINE = Long.MIN_VALUE;
  /** How long past the deadline a write may stall before the peer counts as not reading at all. */
  private static final long STALL_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  private static final int READ_BUFFER = 64 * 1024;

  private final Transport transport;
  private final ScheduledExecutorService timer;
  private final ReentrantLock writeLock = new ReentrantLock();
  private volatile boolean stalled;

  FrameChannel(Transport transport, ScheduledExecutorService timer) {
    this.transport = transport;
    this.timer = timer;
  }

  /** Writes one frame; the caller checked {@code data.length <= MAX_DATA_LENGTH}. Blocks while the peer is slow. */
  void send(int streamId, byte type, byte flags, byte[] data) throws IOException {
    send(streamId, type, flags, data, NO_DEADLINE);
  }

  /** As {@link #send(int, byte, byte, byte[])}, bounded by {@code deadline} ({@link System#nanoTime()} based). */
  void send(int streamId, byte type, byte flags, byte[] data, long deadline) throws IOException {
    ByteBuffer header = FrameCodec.header(streamId, type, flags, data.length);
    lock(deadline);
    try {
      ScheduledFuture<?> watchdog = null;
      if (deadline != NO_DEADLINE) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          throw new WriteTimeoutException("the call's deadline passed before its frame could be written", false);
        }
        watchdog = timer.schedule(this::writeStalled, remaining + STALL_GRACE_NANOS, TimeUnit.NANOSECONDS);
      }
      try {
        transport.write(header, data);
      } catch (IOException e) {
        if (stalled) {
          throw new WriteTimeoutException("the peer did not accept a frame before the call's deadline", true);
        }
        throw e;
      } finally {
        if (watchdog != null) {
          watchdog.cancel(false);
        }
      }
    } finally {
      writeLock.unlock();
    }
  }

  private void lock(long deadline) throws IOException {
    if (deadline == NO_DEADLINE) {
      writeLock.lock();
      return;
    }
    try {
      if (!writeLock.tryLock(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
        throw new WriteTimeoutException("the connection stayed busy writing until the call's deadline", false);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting to write");
    }
  }

  private void writeStalled() {
    stalled = true;
    transport.close();
  }

  /**
   * Reads and decodes until the peer closes. Returns normally at a clean end of stream (between frames); throws
   * {@link EOFException} for a truncated frame and the transport's IOException otherwise.
   */
  void readLoop(FrameDecoder.Sink sink) throws IOException {
    FrameDecoder decoder = new FrameDecoder();
    ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
    while (true) {
      buffer.clear();
      int n = transport.read(buffer);
      if (n < 0) {
        if (decoder.isMidFrame()) {
          throw new EOFException("connection ended inside a frame");
        }
        return;
      }
      buffer.flip();
      decoder.decode(buffer, sink);
    }
  }

  void close() {
    transport.close();
  }

  String describe() {
    return transport.describe();
  }
}
