package io.goldilocks.agent.process;

import io.goldilocks.ttrpc.TtrpcException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short helper command (runc kill/ps/pause/..., kill, mount) to completion with a time limit and bounded
 * captured output. Thread-safe (stateless).
 */
public final class CommandRunner {
  /** At most this much stdout is kept (runc ps of a big container fits easily). */
  static final int MAX_STDOUT = 4 << 20;
  /** At most this much stderr is kept for the error message. */
  static final int MAX_STDERR = 16 << 10;

  /** The outcome of a finished command. Immutable. */
  public record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /** Runs {@code command}, feeding {@code stdin} (may be null), failing with INTERNAL on timeout or spawn error. */
  public Result run(List<String> command, byte[] stdin, Duration timeout) throws TtrpcException {
    Process p;
    try {
      p = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw TtrpcException.internal("cannot run %s: %s", command.get(0), e.getMessage());
    }
    try {
      feed(p, stdin);
      Collector out = Collector.start(p.getInputStream(), MAX_STDOUT);
      Collector err = Collector.start(p.getErrorStream(), MAX_STDERR);
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw TtrpcException.internal("%s did not finish within %s", String.join(" ", command), timeout);
      }
      return new Result(p.exitValue(), out.text(), err.text());
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw TtrpcException.cancelled("interrupted while running %s", command.get(0));
    }
  }

  /** Runs {@code command} and raises INTERNAL with its stderr unless it exits 0. */
  public Result runChecked(List<String> command, byte[] stdin, Duration timeout) throws TtrpcException {
    Result r = run(command, stdin, timeout);
    if (!r.ok()) {
      throw TtrpcException.internal("%s failed (exit %d): %s", String.join(" ", command.subList(0,
          Math.min(command.size(), 4))), r.exitCode(), r.stderr().strip());
    }
    return r;
  }

  private static void feed(Process p, byte[] stdin) {
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin);
      }
    } catch (IOException e) {
      // The command did not read its input; its exit status tells the rest.
    }
  }

  /** Reads a stream to EOF on its own thread, keeping at most {@code limit} bytes. */
  private static final class Collector {
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final Thread thread;

    private Collector(InputStream in, int limit) {
      thread = new Thread(null, () -> drain(in, limit), "collect", 64 * 1024);
      thread.setDaemon(true);
    }

    static Collector start(InputStream in, int limit) {
      Collector c = new Collector(in, limit);
      c.thread.start();
      return c;
    }

    private void drain(InputStream in, int limit) {
      byte[] buf = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(buf)) > 0) {
          synchronized (kept) {
            kept.write(buf, 0, Math.max(0, Math.min(n, limit - kept.size())));
          }
        }
      } catch (IOException e) {
        // Process gone: keep what we have.
      }
    }

    String text() throws InterruptedException {
      thread.join(1000);
      synchronized (kept) {
        return kept.toString(StandardCharsets.UTF_8);
      }
    }
  }
}
