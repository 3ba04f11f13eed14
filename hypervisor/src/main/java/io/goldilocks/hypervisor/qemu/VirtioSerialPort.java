package io.goldilocks.hypervisor.qemu;

import java.nio.file.Path;
import java.util.List;

/**
 * A named virtio-serial port backed by a host Unix socket QEMU listens on ({@code wait=off}: boot does not wait
 * for a client). {@code index} makes the chardev id unique.
 */
public record VirtioSerialPort(int index, String name, Path socket) implements QemuDevice {
  @Override
  public List<String> args() {
    String chardev = "vport" + index;
    return List.of(
        "-chardev", "socket,id=" + chardev + ",path=" + QemuOptions.escape(socket.toString()) + ",server=on,wait=off",
        "-device", "virtserialport,bus=vserial0.0,chardev=" + chardev + ",name=" + name);
  }
}
