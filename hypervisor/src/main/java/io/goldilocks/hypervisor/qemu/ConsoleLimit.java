package io.goldilocks.hypervisor.qemu;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the console log, which an untrusted guest can fill at will: past the limit the file is cut to nothing but
 * a note (QEMU opens it with {@code append=on}, so its next write lands at the new end, not at its old offset).
 * Only the last lines matter for diagnosis. Called by the monitor thread only; not thread-safe.
 */
final class ConsoleLimit {
  static final long DEFAULT_MAX_BYTES = 8L * 1024 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleLimit.class);

  private final Path log;
  private final long maxBytes;

  ConsoleLimit(Path log, long maxBytes) {
    this.log = log;
    this.maxBytes = maxBytes;
  }

  /** Truncates the log if it grew past the limit; returns whether it did. */
  boolean enforce() {
    try {
      if (!Files.isRegularFile(log) || Files.size(log) <= maxBytes) {
        return false;
      }
      try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "rw")) {
        file.setLength(0);
        file.write(("[goldilocks: console log exceeded " + maxBytes + " bytes; truncated]\n")
            .getBytes(StandardCharsets.US_ASCII));
      }
      LOG.warn("console log {} exceeded {} bytes; truncated", log, maxBytes);
      return true;
    } catch (IOException e) {
      LOG.warn("cannot check console log {}", log, e);
      return false;
    }
  }
}
