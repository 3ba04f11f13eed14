package io.goldilocks.shim.sandbox;

import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short host command (mount, umount) under a deadline. Thread-safe (stateless). */
final class HostCommand {
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final int MAX_OUTPUT = 4096;

  private HostCommand() {}

  /**
   * Runs {@code command}; returns normally when it exits 0.
   *
   * @throws TtrpcException {@code failure} with the command's output when it fails, DEADLINE_EXCEEDED when it hangs
   */
  static void run(Code failure, List<String> command) throws TtrpcException {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new TtrpcException(Code.FAILED_PRECONDITION, "cannot run " + command.get(0) + ": " + e.getMessage(), e);
    }
    try {
      process.getOutputStream().close();
      if (!process.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw TtrpcException.deadlineExceeded("%s did not finish within %s", String.join(" ", command), DEADLINE);
      }
      byte[] output = process.getInputStream().readNBytes(MAX_OUTPUT);
      if (process.exitValue() != 0) {
        throw new TtrpcException(failure, String.join(" ", command) + " failed (exit " + process.exitValue() + "): "
            + new String(output, StandardCharsets.UTF_8).strip());
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw TtrpcException.cancelled("interrupted while running %s", command.get(0));
    } catch (IOException e) {
      throw new TtrpcException(Code.INTERNAL, "cannot read the output of " + command.get(0), e);
    }
  }
}
