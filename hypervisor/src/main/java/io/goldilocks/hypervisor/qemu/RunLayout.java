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

  public Path serialPortSocket(String name) {
    return dir.resolve("port-" + name + ".sock");
  }

  public Path virtiofsdSocket(String tag) {
    return dir.resolve("fs-" + tag + ".sock");
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
