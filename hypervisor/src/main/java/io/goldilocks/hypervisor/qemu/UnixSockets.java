package io.goldilocks.hypervisor.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads /proc/net/unix (this network namespace's Unix sockets). Thread-safe (stateless). */
final class UnixSockets {
  private static final Path PROC_NET_UNIX = Path.of("/proc/net/unix");
  private static final long SO_ACCEPTCON = 0x10000;

  private UnixSockets() {}

  /**
   * Whether some process listens on {@code socket}. Its file appears at bind(), a moment before listen(): a
   * client connecting in between is refused. Probing by connecting is no option for a one-client server such as
   * virtiofsd, which would take the probe for QEMU and exit when it hangs up.
   */
  static boolean isListening(Path socket) {
    try {
      return isListening(Files.readString(PROC_NET_UNIX), socket.toString());
    } catch (IOException e) {
      return false;
    }
  }

  /** Columns: Num RefCount Protocol Flags Type St Inode Path. */
  static boolean isListening(String procNetUnix, String path) {
    for (String line : procNetUnix.split("\n")) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length >= 8 && fields[7].equals(path)) {
        try {
          if ((Long.parseLong(fields[3], 16) & SO_ACCEPTCON) != 0) {
            return true;
          }
        } catch (NumberFormatException e) {
          // header or malformed line
        }
      }
    }
    return false;
  }
}
