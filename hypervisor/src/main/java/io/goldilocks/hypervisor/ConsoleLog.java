package io.goldilocks.hypervisor;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Reads the end of a guest console log, bounded: the guest writes it and is not trusted. Thread-safe (stateless). */
public final class ConsoleLog {
  /** How many lines error messages carry. */
  public static final int TAIL_LINES = 40;
  private static final int TAIL_BYTES = 16 * 1024;

  private ConsoleLog() {}

  /** The last {@link #TAIL_LINES} lines of {@code log} (from its last 16 KiB); empty if the file is missing. */
  public static List<String> tail(Path log) {
    if (!Files.isRegularFile(log)) {
      return List.of();
    }
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long start = Math.max(0, file.length() - TAIL_BYTES);
      byte[] bytes = new byte[(int) (file.length() - start)];
      file.seek(start);
      file.readFully(bytes);
      String text = new String(bytes, StandardCharsets.UTF_8).replace("\r", "");
      List<String> lines = Arrays.asList(text.split("\n"));
      return List.copyOf(lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return List.of("(console log unreadable: " + e.getMessage() + ")");
    }
  }
}
