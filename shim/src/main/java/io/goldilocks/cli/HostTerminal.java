package io.goldilocks.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The controlling terminal of the CLI, driven with {@code stty} (the JDK has no termios): raw mode for a {@code
 * --tty} session, restored on exit, and the window size. Thread-safe: {@link #restore()} may race with itself (from
 * a shutdown hook) and runs once.
 */
final class HostTerminal {
  private static final File TTY = new File("/dev/tty");

  private final String savedSettings;
  private boolean restored;

  private HostTerminal(String savedSettings) {
    this.savedSettings = savedSettings;
  }

  /** Whether this process's stdin is a terminal (as {@code test -t 0}). */
  static boolean stdinIsTerminal() {
    try {
      Process p = new ProcessBuilder("test", "-t", "0").redirectInput(ProcessBuilder.Redirect.INHERIT).start();
      return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Puts the terminal in raw mode (no echo, no line editing, no signals from keys), keeping what to restore. */
  static Optional<HostTerminal> enterRawMode() {
    Optional<String> saved = stty(List.of("-g"));
    if (saved.isEmpty() || stty(List.of("raw", "-echo")).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new HostTerminal(saved.get().strip()));
  }

  /** The window size as {columns, rows}, if known. */
  static Optional<int[]> size() {
    return stty(List.of("size")).flatMap(out -> {
      String[] rowsCols = out.strip().split("\\s+");
      try {
        int rows = Integer.parseInt(rowsCols[0]);
        int cols = Integer.parseInt(rowsCols[1]);
        return rows > 0 && cols > 0 ? Optional.of(new int[] {cols, rows}) : Optional.empty();
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    });
  }

  /** Restores the settings saved by {@link #enterRawMode()}. Idempotent. */
  synchronized void restore() {
    if (!restored) {
      restored = true;
      stty(List.of(savedSettings));
    }
  }

  private static Optional<String> stty(List<String> args) {
    if (!TTY.exists()) {
      return Optional.empty();
    }
    try {
      List<String> command = new java.util.ArrayList<>(List.of("stty"));
      command.addAll(args);
      Process p = new ProcessBuilder(command).redirectInput(TTY).redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      byte[] out = p.getInputStream().readNBytes(4096);
      if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return Optional.empty();
      }
      return Optional.of(new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
