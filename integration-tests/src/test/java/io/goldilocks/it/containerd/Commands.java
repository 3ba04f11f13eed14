package io.goldilocks.it.containerd;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a host command to completion under a deadline. Output goes to temp files rather than pipes so a chatty command
 * can never block on a full pipe, and a command that outlives its deadline is killed, never waited on forever.
 * Thread-safe (stateless).
 */
final class Commands {
  private Commands() {}

  static CommandResult run(List<String> command, Duration timeout) {
    return run(command, Map.of(), timeout);
  }

  static CommandResult run(List<String> command, Map<String, String> environment, Duration timeout) {
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("gl-cmd-", ".out");
      err = Files.createTempFile("gl-cmd-", ".err");
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectInput(new File("/dev/null"))
          .redirectOutput(out.toFile())
          .redirectError(err.toFile());
      builder.environment().putAll(environment);
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout
            + "\n--- stdout\n" + Files.readString(out) + "\n--- stderr\n" + Files.readString(err));
      }
      return new CommandResult(List.copyOf(command), process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a leftover temp file is harmless; the command's result matters more
    }
  }
}
