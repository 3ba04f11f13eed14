package io.goldilocks.hypervisor.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * A pid file: "{@code <pid> <starttime>}", starttime being field 22 of /proc/<pid>/stat, so a later cleaner never
 * kills a different process that reused the pid. Written atomically (temp file + rename). Thread-safe (stateless).
 */
public record PidFile(long pid, long startTime) {
  private static final int MAX_BYTES = 64;

  public static PidFile of(long pid) {
    return new PidFile(pid, ProcStat.startTime(pid).orElse(-1L));
  }

  public void write(Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, pid + " " + startTime + "\n", StandardCharsets.US_ASCII);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Reads a pid file; empty when it is missing or malformed. */
  public static Optional<PidFile> read(Path file) {
    try {
      if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
        return Optional.empty();
      }
      String[] parts = Files.readString(file, StandardCharsets.US_ASCII).trim().split(" ");
      return Optional.of(new PidFile(Long.parseLong(parts[0]), parts.length > 1 ? Long.parseLong(parts[1]) : -1));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Whether the process this file names still runs (same pid and same start time). */
  public boolean isAlive() {
    Optional<Long> now = ProcStat.startTime(pid);
    return now.isPresent() && (startTime < 0 || now.get() == startTime);
  }
}
