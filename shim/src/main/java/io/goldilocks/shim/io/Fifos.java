package io.goldilocks.shim.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Opening FIFOs from Java without hanging: open(2) of a FIFO blocks until the other end is opened too, and the JDK has
 * no {@code O_NONBLOCK}.
 *
 * <ul>
 *   <li>Output FIFOs ({@link LazyFifoOutputStream}) are opened {@code O_WRONLY} on a helper thread, so writes wait
 *       until the reader (ctr, CRI) has its end open and nothing written early is lost; then a read end is opened and
 *       held too, so a reader that goes away (ctr run -d exits) never makes writes fail with EPIPE: the same reason
 *       containerd's runc shim opens a read end of its output FIFOs. With no reader the pipe buffer fills and the
 *       writer waits.</li>
 *   <li>Input FIFOs are opened {@code O_RDONLY} on a helper thread ({@link LazyFifoInputStream}), so the caller never
 *       blocks and the stream still reads end of file when the writer closes. A pending open is released by opening
 *       the FIFO for writing ourselves.</li>
 * </ul>
 *
 * <p>Thread-safe (stateless).
 */
public final class Fifos {
  private Fifos() {}

  /** Opens an output FIFO for writing; the open itself happens on a helper thread. */
  public static OutputStream openWriter(Path fifo) throws IOException {
    if (!Files.exists(fifo)) {
      throw new NoSuchFileException(fifo.toString(), null, "stdio FIFO does not exist");
    }
    return new LazyFifoOutputStream(fifo);
  }

  /**
   * Opens a FIFO O_RDWR: never blocks, never EPIPE, but the reader sees end of file only after this is closed and
   * data written before a reader came is lost on close. For FIFOs whose reader is known to be there (containerd's
   * log FIFO) or for our own private FIFOs.
   */
  public static OutputStream openReadWrite(Path fifo) throws IOException {
    return Channels.newOutputStream(FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE));
  }

  /**
   * An output stream over a FIFO whose blocking open(2) runs on a daemon thread; writes wait for it. Once open, a
   * read end is held as well (see the class comment). Close releases a pending open. Thread-safe.
   */
  public static final class LazyFifoOutputStream extends OutputStream {
    private final Path fifo;
    private final PendingOpen<FileChannel[]> opened;
    private volatile boolean closed;

    LazyFifoOutputStream(Path fifo) {
      this.fifo = fifo;
      this.opened = new PendingOpen<>(fifo, () -> {
        FileChannel writer = FileChannel.open(fifo, StandardOpenOption.WRITE);
        FileChannel keepAlive = FileChannel.open(fifo, StandardOpenOption.READ);
        return new FileChannel[] {writer, keepAlive};
      });
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
      if (closed) {
        throw new IOException(fifo + " is closed");
      }
      ByteBuffer data = ByteBuffer.wrap(buffer, offset, length);
      FileChannel channel = opened.get()[0];
      while (data.hasRemaining()) {
        channel.write(data);
      }
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      Optional<FileChannel[]> channels = opened.release();
      if (channels.isPresent()) {
        try {
          channels.get()[0].close();
        } finally {
          channels.get()[1].close();
        }
      }
    }
  }

  /** Opens an input FIFO for reading; the open itself happens on a helper thread. */
  public static LazyFifoInputStream openReader(Path fifo) throws IOException {
    if (!Files.exists(fifo)) {
      throw new NoSuchFileException(fifo.toString(), null, "stdio FIFO does not exist");
    }
    return new LazyFifoInputStream(fifo);
  }

  /**
   * An input stream over a FIFO whose blocking open(2) runs on a daemon thread. Reads wait for the open; close
   * releases a pending open and, the channel being interruptible, a read blocked in another thread. Tracks whether end of file was reached ({@link #awaitEndOfFile}). Thread-safe.
   */
  public static final class LazyFifoInputStream extends InputStream {
    private final PendingOpen<FileChannel> opened;
    private final CompletableFuture<Void> endOfFile = new CompletableFuture<>();
    private volatile boolean closed;

    LazyFifoInputStream(Path fifo) {
      this.opened = new PendingOpen<>(fifo, () -> {
        FileChannel in = FileChannel.open(fifo, StandardOpenOption.READ);
        if (closed) {
          in.close();
          throw new IOException("closed");
        }
        return in;
      });
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (closed) {
        return -1;
      }
      if (length == 0) {
        return 0;
      }
      int n = opened.get().read(ByteBuffer.wrap(buffer, offset, length));
      if (n < 0) {
        endOfFile.complete(null);
      }
      return n;
    }

    /** Waits up to {@code timeout} for a reader to have seen end of file; true when it did. */
    public boolean awaitEndOfFile(Duration timeout) throws InterruptedException {
      try {
        endOfFile.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return true;
      } catch (ExecutionException | TimeoutException e) {
        return false;
      }
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      endOfFile.complete(null);
      Optional<FileChannel> in = opened.release();
      if (in.isPresent()) {
        in.get().close();
      }
    }
  }

  /** Opens the FIFO's end(s); may block until the other end is opened. */
  @FunctionalInterface
  private interface Opener<T> {
    T open() throws IOException;
  }

  /**
   * A FIFO's blocking open(2), run on a daemon thread: both stream kinds wait for it the same way and release it the
   * same way on close. Thread-safe.
   */
  private static final class PendingOpen<T> {
    private final Path fifo;
    private final CompletableFuture<T> opened = new CompletableFuture<>();

    PendingOpen(Path fifo, Opener<T> opener) {
      this.fifo = fifo;
      Thread thread = new Thread(() -> {
        try {
          opened.complete(opener.open());
        } catch (IOException e) {
          opened.completeExceptionally(e);
        }
      }, "fifo-open " + fifo.getFileName());
      thread.setDaemon(true);
      thread.start();
    }

    /** Waits for the open. */
    T get() throws IOException {
      try {
        return opened.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while opening " + fifo, e);
      } catch (ExecutionException e) {
        throw new IOException("cannot open " + fifo + ": " + e.getCause().getMessage(), e.getCause());
      }
    }

    /**
     * For close: releases an open still blocked in open(2) (the other end appeared and went at once) by opening the
     * FIFO ourselves for a moment, then returns what was opened, if anything, for the caller to close.
     */
    Optional<T> release() {
      if (!opened.isDone()) {
        try (FileChannel release = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
          opened.get(1, TimeUnit.SECONDS);
        } catch (IOException | ExecutionException | TimeoutException ignored) {
          // the FIFO is gone or the opener failed: nothing left to release
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return opened.isDone() && !opened.isCompletedExceptionally() ? Optional.of(opened.join()) : Optional.empty();
    }
  }
}
