package io.goldilocks.hypervisor.qemu;

import java.nio.file.Path;

/**
 * Names of the files in a VM's run directory; the single place that knows them, so {@link VmCleaner} finds from
 * disk alone what a live VM created. Immutable.
 */
public record RunLayout(Path dir) {
  /** Unix socket paths are limited to 107 bytes (sun_path). */
  static final int MAX_SOCKET_PATH = 107;

  public Path qmpSocket() {
    return dir.resolve("qmp.sock");
  }

  public Path consoleLog() {
    return dir.resolve("console.log");
  }

  public Path qemuLog() {
    return dir.resolve("qemu.log");
  }

  public Path qemuPidFile() {
    return dir.resolve("qemu.pid");
  }

  /**
   * Sockets are named by the device's index, not its name: with a 64-character sandbox id under
   * /run/goldilocks/vm/ a name would overflow sun_path's 107 bytes.
   */
  public Path serialPortSocket(int index) {
    return dir.resolve("port" + index + ".sock");
  }

  public Path virtiofsdSocket(int index) {
    return dir.resolve("fs" + index + ".sock");
  }

  public Path virtiofsdLog(String tag) {
    return dir.resolve("virtiofsd-" + tag + ".log");
  }

  public Path virtiofsdPidFile(String tag) {
    return dir.resolve("virtiofsd-" + tag + ".pid");
  }

  /** The glob of every pid file, for cleanup from disk. */
  static String pidFileGlob() {
    return "*.pid";
  }
}
