package io.goldilocks.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Port discovery against a sysfs-shaped temp dir (the real port exists only in a guest). */
class VirtioSerialPortTest {
  @TempDir
  Path sysfs;

  @Test
  void findsThePortByItsName() throws Exception {
    Files.writeString(Files.createDirectories(sysfs.resolve("vport0p1")).resolve("name"), "org.qemu.guest\n");
    Files.writeString(Files.createDirectories(sysfs.resolve("vport1p2")).resolve("name"), "goldilocks.agent.0\n");
    Files.createDirectories(sysfs.resolve("vport1p3")); // no name file
    assertThat(VirtioSerialPort.find(sysfs, "goldilocks.agent.0")).contains(Path.of("/dev/vport1p2"));
    assertThat(VirtioSerialPort.find(sysfs, "other")).isEmpty();
    assertThat(VirtioSerialPort.find(sysfs.resolve("missing"), "goldilocks.agent.0")).isEmpty();
  }
}
