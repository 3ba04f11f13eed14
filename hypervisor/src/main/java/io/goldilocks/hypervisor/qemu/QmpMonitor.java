package io.goldilocks.hypervisor.qemu;

import java.nio.file.Path;
import java.util.List;

/** QMP (QEMU Machine Protocol) on a Unix socket QEMU listens on; our control channel. */
public record QmpMonitor(Path socket) implements QemuDevice {
  @Override
  public List<String> args() {
    return List.of(
        "-chardev", "socket,id=qmp,path=" + QemuOptions.escape(socket.toString()) + ",server=on,wait=off",
        "-mon", "chardev=qmp,mode=control");
  }
}
