package io.goldilocks.bundles.network.tcfilter;

import io.goldilocks.spi.PluginException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code ip} and {@code tc} inside a network namespace ({@code nsenter --net=<path>}), each with a deadline and
 * bounded output. Stateless, thread-safe.
 */
final class NetnsCommands {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_OUTPUT = 1 << 20;

  /** A finished command. */
  record Result(List<String> command, int exitCode, String stdout, String stderr) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  private final Path netns;

  NetnsCommands(Path netns) {
    this.netns = netns;
  }

  /** Runs the command in the namespace and requires success. */
  String check(String... command) throws PluginException {
    Result r = run(command);
    if (!r.ok()) {
      throw new PluginException(PluginException.Reason.INTERNAL, "'" + String.join(" ", r.command())
          + "' failed with exit code " + r.exitCode() + ": " + r.stderr().strip());
    }
    return r.stdout();
  }

  /** Runs the command in the namespace; a non-zero exit is returned, not thrown. */
  Result run(String... command) throws PluginException {
    List<String> argv = new ArrayList<>(List.of("nsenter", "--net=" + netns));
    argv.addAll(List.of(command));
    Process process;
    try {
      process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .start();
    } catch (IOException e) {
      throw new PluginException(PluginException.Reason.FAILED_PRECONDITION, "cannot run " + argv.get(0)
          + " (util-linux) for " + String.join(" ", command), e);
    }
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
    try {
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new PluginException(PluginException.Reason.INTERNAL, "'" + String.join(" ", argv)
            + "' did not finish within " + TIMEOUT);
      }
      return new Result(argv, process.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new PluginException(PluginException.Reason.UNAVAILABLE, "interrupted running " + argv, e);
    }
  }

  /** Reads a stream to its end, keeping at most {@link #MAX_OUTPUT} bytes. */
  private static String drain(InputStream in) {
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buf)) > 0) {
        kept.write(buf, 0, Math.max(0, Math.min(n, MAX_OUTPUT - kept.size())));
      }
    } catch (IOException e) {
      // the process died; what was read is what there is
    }
    return kept.toString(StandardCharsets.UTF_8);
  }
}
