package io.goldilocks.hypervisor.qemu;

import java.nio.file.Path;
import java.util.List;

/** A virtio-fs device served by a virtiofsd listening on {@code socket}; the guest mounts it by {@code tag}. */
public record VhostUserFs(int index, String tag, Path socket) implements QemuDevice {
  @Override
  public List<String> args() {
    String chardev = "vfs" + index;
    return List.of(
        "-chardev", "socket,id=" + chardev + ",path=" + QemuOptions.escape(socket.toString()),
        "-device", "vhost-user-fs-device,chardev=" + chardev + ",tag=" + tag);
  }
}
