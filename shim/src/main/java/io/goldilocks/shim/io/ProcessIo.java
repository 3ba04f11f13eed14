package io.goldilocks.shim.io;

import io.goldilocks.shim.sandbox.Stdio;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A process's host-side stdio, opened from an {@link IoSpec} the way containerd's runc shim does: FIFOs, a logging
 * binary or a log file. Produces the {@link Stdio} handed to the sandbox, which owns and closes the streams; this
 * object keeps what is needed for CloseIO and for cleanup when Create/Exec fails before the sandbox took them.
 *
 * <p>Thread-safe.
 */
public final class ProcessIo implements Closeable {
  /** How long CloseIO waits for the stdin FIFO to drain by itself before closing stdin in the guest anyway. */
  static final Duration STDIN_DRAIN = Duration.ofSeconds(2);

  private final Stdio stdio;
  private final Optional<Fifos.LazyFifoInputStream> stdin;
  private final List<Closeable> resources;

  private ProcessIo(Stdio stdio, Optional<Fifos.LazyFifoInputStream> stdin, List<Closeable> resources) {
    this.stdio = stdio;
    this.stdin = stdin;
    this.resources = List.copyOf(resources);
  }

  /**
   * Opens the streams {@code spec} names for a process of container {@code containerId} in namespace {@code ns}.
   *
   * @throws IllegalArgumentException for a malformed or unsupported stdio string
   * @throws IOException when a FIFO, file or logger cannot be opened (nothing is left open)
   */
  public static ProcessIo open(IoSpec spec, String containerId, String ns) throws IOException {
    List<Closeable> opened = new ArrayList<>();
    try {
      Optional<Fifos.LazyFifoInputStream> stdin = Optional.empty();
      StdioTarget in = StdioTarget.parse(spec.stdin());
      if (in instanceof StdioTarget.Fifo fifo) {
        stdin = Optional.of(Fifos.openReader(fifo.path()));
        opened.add(stdin.get());
      } else if (!(in instanceof StdioTarget.None)) {
        throw new IllegalArgumentException("stdin must be a FIFO path, got " + spec.stdin());
      }
      StdioTarget out = StdioTarget.parse(spec.stdout());
      OutputStream stdout;
      OutputStream stderr;
      if (out instanceof StdioTarget.Binary binary) {
        BinaryLogger logger = BinaryLogger.start(binary, containerId, ns);
        opened.add(logger);
        stdout = logger.stdout();
        stderr = spec.terminal() ? OutputStream.nullOutputStream() : logger.stderr();
      } else if (out instanceof StdioTarget.File file) {
        Files.createDirectories(file.path().toAbsolutePath().getParent());
        SharedOutput shared = new SharedOutput(new FileOutputStream(file.path().toFile(), true),
            spec.terminal() ? 1 : 2);
        opened.add(shared::forceClose);
        stdout = shared;
        stderr = spec.terminal() ? OutputStream.nullOutputStream() : shared;
      } else {
        stdout = outputFor(out, opened);
        stderr = spec.terminal() ? OutputStream.nullOutputStream() : outputFor(StdioTarget.parse(spec.stderr()), opened);
      }
      Stdio stdio = new Stdio(stdin.map(s -> s), stdout, stderr);
      return new ProcessIo(stdio, stdin, opened);
    } catch (IOException | RuntimeException e) {
      closeAll(opened);
      throw e;
    }
  }

  private static OutputStream outputFor(StdioTarget target, List<Closeable> opened) throws IOException {
    if (target instanceof StdioTarget.Fifo fifo) {
      OutputStream stream = Fifos.openWriter(fifo.path());
      opened.add(stream);
      return stream;
    }
    if (target instanceof StdioTarget.None) {
      return OutputStream.nullOutputStream();
    }
    throw new IllegalArgumentException("stderr must be a FIFO path when stdout is one, got " + target);
  }

  /** The streams for the sandbox (which takes ownership of them). */
  public Stdio stdio() {
    return stdio;
  }

  /** Whether the process has a stdin stream. */
  public boolean hasStdin() {
    return stdin.isPresent();
  }

  /**
   * CloseIO(stdin): lets the stdin FIFO drain (ctr closes its writer before calling CloseIO) for a short while, then
   * closes our end. Returns true when the stream reached end of file by itself (the sandbox then already closed the
   * guest's stdin).
   */
  public boolean closeStdin() throws IOException, InterruptedException {
    if (stdin.isEmpty()) {
      return true;
    }
    boolean drained = stdin.get().awaitEndOfFile(STDIN_DRAIN);
    stdin.get().close();
    return drained;
  }

  /** Closes everything this object opened (when the sandbox never took the streams, or after the process ended). */
  @Override
  public void close() {
    closeAll(resources);
  }

  private static void closeAll(List<Closeable> resources) {
    for (Closeable c : resources) {
      try {
        c.close();
      } catch (IOException ignored) {
        // closing on cleanup: nothing more to do with a stream that will not close
      }
    }
  }

  /** One output stream written by stdout and stderr alike, closed when both have closed it. Thread-safe. */
  static final class SharedOutput extends OutputStream {
    private final OutputStream out;
    private int holders;

    SharedOutput(OutputStream out, int holders) {
      this.out = out;
      this.holders = holders;
    }

    @Override
    public synchronized void write(int b) throws IOException {
      out.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public synchronized void flush() throws IOException {
      out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
      if (holders > 0 && --holders == 0) {
        out.close();
      }
    }

    synchronized void forceClose() throws IOException {
      holders = 0;
      out.close();
    }
  }
}
