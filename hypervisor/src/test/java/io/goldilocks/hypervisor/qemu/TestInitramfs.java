package io.goldilocks.hypervisor.qemu;

import io.goldilocks.testing.HostRequirements;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A tiny busybox initramfs for hypervisor tests; its /init (test resource {@code test-init.sh}) loads the virtio
 * modules, prints {@link #BOOT_MARKER}, powers off when the ACPI power button is pressed, echoes lines on the serial port named by {@code gl.echo=}, and exercises
 * the virtio-fs share named by {@code gl.share=}.
 */
final class TestInitramfs {
  static final String BOOT_MARKER = "GOLDILOCKS-TEST-GUEST-UP";
  static final List<String> MODULES =
      List.of("virtio_ring", "virtio", "virtio_mmio", "virtio_console", "fuse", "virtiofs", "evdev", "button");

  private TestInitramfs() {}

  /** Builds the initramfs (a newc cpio) at {@code out}, staging in {@code work}. */
  static Path build(TestKernel kernel, Path work, Path out) throws Exception {
    Path busybox = HostRequirements.requireFile(Path.of("/bin/busybox"), "busybox-static");
    HostRequirements.requireExecutable("cpio");
    Path root = Files.createDirectories(work.resolve("root"));
    for (String dir : List.of("bin", "proc", "sys", "dev", "mnt", "tmp", "lib/modules")) {
      Files.createDirectories(root.resolve(dir));
    }
    Files.copy(busybox, root.resolve("bin/busybox"));
    for (String module : MODULES) {
      Files.copy(kernel.module(module), root.resolve("lib/modules/" + module + ".ko"));
    }
    try (InputStream init = TestInitramfs.class.getResourceAsStream("test-init.sh")) {
      Files.copy(init, root.resolve("init"));
    }
    Files.setPosixFilePermissions(root.resolve("init"), PosixFilePermissions.fromString("rwxr-xr-x"));
    TestKernel.run(root, "sh", "-c", "find . | cpio -o -H newc -R 0:0 --quiet > '" + out + "'");
    return out;
  }

}
