package io.goldilocks.agent.process;

import io.goldilocks.ttrpc.TtrpcException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One process of a container: the init (exec id "") or an exec, run in the foreground by a {@code runc run} /
 * {@code runc exec} child of the agent. runc stays the parent (it reaps the container process and exits with its
 * status, 128+n for signal n), so the agent never has to reap anything but runc, which the JDK does.
 *
 * <p>The exit status is kept here until the container is removed: {@link #awaitExit} after the exit answers at once.
 *
 * <p>Thread-safe: {@code pid} and {@code runc} are written once before the process is published to other threads
 * (under the container's lock); the exit future and the buffers are thread-safe; stdin is guarded by
 * {@code stdinLock}, the terminal's size and resizer by {@code terminalLock}.
 */
public final class GuestProcess {
  private final String containerId;
  private final String execId;
  private final StdioConfig stdio;
  private final OutputBuffer stdout;
  private final OutputBuffer stderr;
  private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
  private final CompletableFuture<Void> exitReported = new CompletableFuture<>();
  private final Object stdinLock = new Object();
  private OutputStream stdin; // guarded by stdinLock; null when not connected or closed
  private volatile long pid;
  private volatile Process runc;
  private final Object terminalLock = new Object();
  /** Guarded by terminalLock: the size to start the terminal with (the OCI consoleSize), or null. */
  private TerminalSize initialSize;
  /** Guarded by terminalLock: the open terminal, once the process has one. */
  private TerminalResizer resizer;

  GuestProcess(String containerId, String execId, StdioConfig stdio, int outputCapacity) {
    this.containerId = containerId;
    this.execId = execId;
    this.stdio = stdio;
    // A terminal always has an output to drain (or runc would block on it); unread, it is dropped.
    this.stdout = stdio.connected(OutputKind.STDOUT) || stdio.terminal() ? new OutputBuffer(outputCapacity) : null;
    if (stdio.terminal() && !stdio.stdout()) {
      this.stdout.discard();
    }
    this.stderr = stdio.connected(OutputKind.STDERR) ? new OutputBuffer(outputCapacity) : null;
  }

  public String containerId() {
    return containerId;
  }

  public String execId() {
    return execId;
  }

  public StdioConfig stdio() {
    return stdio;
  }

  /** Guest pid, 0 before the process started. */
  public long pid() {
    return pid;
  }

  public boolean isInit() {
    return execId.isEmpty();
  }

  /** "container c1" or "exec e1 of container c1", for error messages. */
  public String describe() {
    return isInit() ? "container " + containerId : "exec " + execId + " of container " + containerId;
  }

  /**
   * Wires the started runc child: output pumps and stdin from its pipes, or from the terminal's master when
   * {@code pty} is not null. Called once, before {@link #started}.
   */
  void attach(Process runcProcess, Pty pty) {
    this.runc = runcProcess;
    String name = containerId + (isInit() ? "" : "/" + execId);
    if (pty != null) {
      // The pump owns the master: it closes the pty at EOF (runc gone), the one moment no read can block on it.
      stdout.pumpFrom(pty.output(), "tty-" + name);
      synchronized (stdinLock) {
        stdin = stdio.stdin() ? new TerminalInput(pty) : null;
      }
      return;
    }
    if (stdout != null) {
      stdout.pumpFrom(runcProcess.getInputStream(), "stdout-" + name);
    }
    if (stderr != null) {
      stderr.pumpFrom(runcProcess.getErrorStream(), "stderr-" + name);
    }
    synchronized (stdinLock) {
      stdin = stdio.stdin() ? runcProcess.getOutputStream() : null;
    }
  }

  /**
   * Stdin of a terminal process. A terminal has no end of input; closing it types the EOF character (^D), which the
   * container's terminal, in its default cooked mode, turns into end of file for the reader.
   */
  private static final class TerminalInput extends OutputStream {
    private static final byte EOF_CHAR = 4;
    private final Pty pty;

    TerminalInput(Pty pty) {
      this.pty = pty;
    }

    @Override
    public void write(int b) throws IOException {
      pty.write(new byte[] {(byte) b});
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      pty.write(java.util.Arrays.copyOfRange(b, off, off + len));
    }

    @Override
    public void close() throws IOException {
      pty.write(new byte[] {EOF_CHAR});
    }
  }

  /**
   * Connects the process's freshly opened terminal, before runc starts on it: sets the size asked for so far, so the
   * container's terminal starts with it (runc copies this size to the container's pty at start), and sends later
   * resizes there. INTERNAL when the size cannot be set.
   */
  void openTerminal(TerminalResizer terminal) throws TtrpcException {
    synchronized (terminalLock) {
      if (initialSize != null) {
        terminal.resize(initialSize.width(), initialSize.height());
      }
      resizer = terminal;
    }
  }

  /** Records the container process's pid once runc reported it. */
  void started(long guestPid) {
    this.pid = guestPid;
  }

  /** The runc child, or null before start. */
  Process runc() {
    return runc;
  }

  /** Records the exit; later calls are ignored (the first status wins). */
  void exited(ExitStatus status) {
    exit.complete(status);
    closeStdinQuietly();
  }

  /** Completes once the exit event was queued (or will never be: the process never started). */
  CompletableFuture<Void> exitReported() {
    return exitReported;
  }

  void markExitReported() {
    exitReported.complete(null);
  }

  /** Completes when the process exited. */
  public CompletableFuture<ExitStatus> exitFuture() {
    return exit;
  }

  public boolean hasExited() {
    return exit.isDone();
  }

  /** Waits for the exit; DEADLINE_EXCEEDED when {@code timeout} passes first. */
  public ExitStatus awaitExit(Duration timeout) throws TtrpcException, InterruptedException {
    try {
      return exit.get(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw TtrpcException.deadlineExceeded("%s is still running", describe());
    } catch (ExecutionException e) {
      throw TtrpcException.internal("waiting for %s failed: %s", describe(), e.getCause());
    }
  }

  /** The buffer of a connected output stream, or null when that stream is not connected. */
  public OutputBuffer output(OutputKind kind) {
    return kind == OutputKind.STDOUT ? stdout : stderr;
  }

  /** Writes to the process's stdin; FAILED_PRECONDITION when stdin is not connected, closed, or broken. */
  public void writeStdin(byte[] data) throws TtrpcException {
    synchronized (stdinLock) {
      if (stdin == null) {
        throw TtrpcException.failedPrecondition("stdin of %s is not open", describe());
      }
      try {
        stdin.write(data);
        stdin.flush();
      } catch (IOException e) {
        throw TtrpcException.failedPrecondition("stdin of %s was closed by the process: %s", describe(),
            e.getMessage());
      }
    }
  }

  /** Closes stdin (the process reads EOF). Idempotent. */
  public void closeStdin() {
    closeStdinQuietly();
  }

  private void closeStdinQuietly() {
    synchronized (stdinLock) {
      if (stdin != null) {
        try {
          stdin.close();
        } catch (IOException e) {
          // The process is gone or closed its end: nothing left to deliver.
        }
        stdin = null;
      }
    }
  }

  /** Sets the terminal size; FAILED_PRECONDITION when the process has no terminal (yet) or has exited. */
  public void resizeTerminal(int width, int height) throws TtrpcException {
    synchronized (terminalLock) {
      if (!stdio.terminal() || resizer == null) {
        throw TtrpcException.failedPrecondition("%s has no terminal", describe());
      }
      if (hasExited()) {
        throw TtrpcException.failedPrecondition("%s has exited", describe());
      }
      resizer.resize(width, height);
    }
  }

  /** The size the terminal starts with (the OCI consoleSize), set before start. */
  void startSize(TerminalSize size) {
    synchronized (terminalLock) {
      initialSize = size;
    }
  }

  /** Drops buffered output and closes stdin (the process is being removed). */
  void release() {
    closeStdinQuietly();
    if (stdout != null) {
      stdout.discard();
    }
    if (stderr != null) {
      stderr.discard();
    }
  }
}
