package io.goldilocks.agent.process;

import io.goldilocks.ttrpc.TtrpcException;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;

/**
 * One output stream of a process (stdout or stderr), buffered in the guest until the host reads it.
 *
 * <p>A pump thread copies the process's pipe into a bounded ring ({@link #write} blocks while it is full, so a
 * process that outruns the host blocks on its write instead of losing output). One reader at a time peeks a chunk,
 * sends it, and only then consumes it, so a reader that dies mid-send loses nothing: the next reader resumes at the
 * first unsent byte. {@link #discard} (container removed) drops the content and lets the pump drain the pipe.
 *
 * <p>Thread-safe: all state is guarded by {@code this}.
 */
public final class OutputBuffer {
  /** Default capacity: 1 MiB per stream, as documented in agent.proto. */
  public static final int DEFAULT_CAPACITY = 1 << 20;

  /** The ring starts small and doubles up to {@code capacity}: most processes print little, and 1 MiB per stream
   * for every process would be a lot of a small guest's heap. */
  private static final int INITIAL_SIZE = 8 * 1024;

  private final int capacity;
  private byte[] ring; // guarded by this
  private int head; // guarded by this: index of the first unread byte
  private int size; // guarded by this
  private boolean eof; // guarded by this: the writer finished
  private boolean discarded; // guarded by this
  private boolean readerAttached; // guarded by this
  private long totalWritten; // guarded by this

  public OutputBuffer(int capacity) {
    this.capacity = capacity;
    this.ring = new byte[Math.min(capacity, INITIAL_SIZE)];
  }

  /** Starts a daemon thread that copies {@code in} into this buffer until EOF, then marks EOF and closes it. */
  public Thread pumpFrom(InputStream in, String threadName) {
    Thread t = new Thread(null, () -> pump(in), threadName, 128 * 1024);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private void pump(InputStream in) {
    byte[] chunk = new byte[16 * 1024];
    try (in) {
      int n;
      while ((n = in.read(chunk)) > 0) {
        write(chunk, 0, n);
      }
    } catch (IOException | InterruptedException e) {
      // The pipe broke or we were told to stop: what was read is kept; EOF follows.
    } finally {
      finish();
    }
  }

  /** Appends bytes, blocking while the ring is full. Dropped silently once discarded. */
  synchronized void write(byte[] b, int off, int len) throws InterruptedException {
    while (len > 0) {
      while (size == capacity && !discarded) {
        wait();
      }
      if (size + len > ring.length && ring.length < capacity) {
        grow(Math.min(capacity, Math.max(ring.length * 2, size + len)));
      }
      if (discarded) {
        return;
      }
      int tail = (head + size) % ring.length;
      int n = Math.min(len, Math.min(ring.length - size, ring.length - tail));
      System.arraycopy(b, off, ring, tail, n);
      size += n;
      totalWritten += n;
      off += n;
      len -= n;
      notifyAll();
    }
  }

  /** Re-lays the ring into a larger array, unread bytes first. Caller holds the lock. */
  private void grow(int newSize) {
    byte[] bigger = new byte[newSize];
    int first = Math.min(size, ring.length - head);
    System.arraycopy(ring, head, bigger, 0, first);
    System.arraycopy(ring, 0, bigger, first, size - first);
    ring = bigger;
    head = 0;
  }

  /** Marks the end of the stream: readers see EOF once they have consumed everything. */
  public synchronized void finish() {
    eof = true;
    notifyAll();
  }

  /** Drops the content and every later write (the process is being removed). */
  public synchronized void discard() {
    discarded = true;
    size = 0;
    notifyAll();
  }

  /** Bytes ever written (for diagnostics and tests). */
  public synchronized long totalWritten() {
    return totalWritten;
  }

  /** Attaches the single reader; FAILED_PRECONDITION while another reader is attached. */
  public synchronized Reader attach(String what) throws TtrpcException {
    if (readerAttached) {
      throw TtrpcException.failedPrecondition("%s already has a reader", what);
    }
    readerAttached = true;
    return new Reader();
  }

  /** The attached reader. Use from one thread; close it to let the next reader attach. */
  public final class Reader implements AutoCloseable {
    private boolean closed;

    private Reader() {}

    /**
     * Copies up to {@code max} buffered bytes without consuming them; waits up to {@code waitMillis} for data.
     *
     * @return the bytes; an empty array when nothing arrived in time; null at EOF (everything consumed)
     */
    public byte[] peek(int max, long waitMillis) throws InterruptedException {
      synchronized (OutputBuffer.this) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        while (size == 0 && !eof && !discarded) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return new byte[0];
          }
          TimeUnit.NANOSECONDS.timedWait(OutputBuffer.this, left);
        }
        if (size == 0) {
          return null;
        }
        int n = Math.min(max, size);
        byte[] out = new byte[n];
        int first = Math.min(n, ring.length - head);
        System.arraycopy(ring, head, out, 0, first);
        System.arraycopy(ring, 0, out, first, n - first);
        return out;
      }
    }

    /** Consumes {@code n} bytes previously returned by {@link #peek} (they reached the host). */
    public void consume(int n) {
      synchronized (OutputBuffer.this) {
        int k = Math.min(n, size);
        head = (head + k) % ring.length;
        size -= k;
        OutputBuffer.this.notifyAll();
      }
    }

    @Override
    public void close() {
      synchronized (OutputBuffer.this) {
        if (!closed) {
          closed = true;
          readerAttached = false;
        }
      }
    }
  }
}
