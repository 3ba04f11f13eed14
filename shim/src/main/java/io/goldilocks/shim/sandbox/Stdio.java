package io.goldilocks.shim.sandbox;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a process's standard streams come from and go to, on the host. Immutable, thread-safe (the streams
 * themselves are used by one sandbox thread each).
 *
 * <p>Ownership passes to the sandbox: it reads {@code stdin} until end of stream and then closes the process's stdin
 * in the guest (as {@link Sandbox#closeStdin(ProcessRef)} would); it writes everything the process prints to {@code
 * stdout} and {@code stderr}, kept separate, and closes both after the last byte (or when the sandbox is lost), so a
 * FIFO reader sees end of file. Pass a non-closing wrapper to keep a stream (e.g. {@code System.out}) open. For a
 * process on a terminal, the terminal's output goes to {@code stdout}; {@code stderr} is closed unused.
 *
 * <p>Output is pulled from the guest at the pace of these sinks (a slow sink slows the process down, it never makes
 * the host buffer without bound).
 *
 * @param stdin where the process's stdin comes from; empty for none (the process reads end of file at once)
 * @param stdout where the process's stdout goes
 * @param stderr where the process's stderr goes
 */
public record Stdio(Optional<InputStream> stdin, OutputStream stdout, OutputStream stderr) {
  public Stdio {
    Objects.requireNonNull(stdin, "stdin");
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(stderr, "stderr");
  }

  /** No stdin; output discarded. */
  public static Stdio none() {
    return new Stdio(Optional.empty(), OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
  }

  /** No stdin; output to the given sinks. */
  public static Stdio of(OutputStream stdout, OutputStream stderr) {
    return new Stdio(Optional.empty(), stdout, stderr);
  }

  /** stdin from {@code stdin}; output to the given sinks. */
  public static Stdio of(InputStream stdin, OutputStream stdout, OutputStream stderr) {
    return new Stdio(Optional.of(stdin), stdout, stderr);
  }
}
