package io.goldilocks.hypervisor.qemu;

import java.nio.file.Path;
import java.util.List;

/**
 * The guest's ttyS0, written by QEMU itself to a log file (no pipe through our process). Append mode lets
 * {@link ConsoleLimit} cut the file while QEMU writes.
 */
public record SerialConsole(Path logFile) implements QemuDevice {
  @Override
  public List<String> args() {
    return List.of("-chardev", "file,id=console,path=" + QemuOptions.escape(logFile.toString()) + ",append=on",
        "-serial", "chardev:console");
  }
}
