package io.goldilocks.shim.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The small files a shim keeps in containerd's bundle directory so that a later {@code delete} (possibly with no shim
 * server alive) and a restarted containerd can find everything again (style #11).
 *
 * <ul>
 *   <li>{@code address}: the shim server's {@code unix://} address (containerd reads it back after a restart);</li>
 *   <li>{@code shim.pid}: the shim server's pid;</li>
 *   <li>{@code init.pid}: the init process's pid as reported to containerd;</li>
 *   <li>{@code exit.status}: the init process's exit status once known.</li>
 * </ul>
 *
 * <p>Every write is atomic (temp file + rename), so a reader sees the old or the new content, never half. Thread-safe
 * (stateless apart from the bundle path).
 */
public final class BundleFiles {
  public static final String ADDRESS = "address";
  public static final String SHIM_PID = "shim.pid";
  public static final String INIT_PID = "init.pid";
  public static final String EXIT_STATUS = "exit.status";
  public static final String CONFIG = "config.json";
  public static final String LOG_FIFO = "log";
  public static final String ROOTFS = "rootfs";

  private final Path bundle;

  public BundleFiles(Path bundle) {
    this.bundle = bundle;
  }

  public Path bundle() {
    return bundle;
  }

  public Path path(String name) {
    return bundle.resolve(name);
  }

  /** Writes {@code name} atomically. */
  public void write(String name, String content) throws IOException {
    Path target = bundle.resolve(name);
    Path tmp = bundle.resolve("." + name + ".tmp-" + ProcessHandle.current().pid());
    try {
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The trimmed content of {@code name}, empty when the file does not exist. */
  public Optional<String> read(String name) throws IOException {
    try {
      return Optional.of(Files.readString(bundle.resolve(name), StandardCharsets.UTF_8).trim());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** {@code name} parsed as a non-negative integer; empty when absent or unreadable as a number. */
  public Optional<Long> readNumber(String name) throws IOException {
    Optional<String> text = read(name);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      long value = Long.parseLong(text.get());
      return value >= 0 ? Optional.of(value) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
