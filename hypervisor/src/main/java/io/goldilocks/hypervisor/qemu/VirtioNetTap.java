package io.goldilocks.hypervisor.qemu;

import java.util.List;

/** A virtio-net device on an existing host tap device (QEMU runs no scripts; the network plugin owns the tap). */
public record VirtioNetTap(String id, String tapName, String mac) implements QemuDevice {
  @Override
  public List<String> args() {
    return List.of(
        "-netdev", "tap,id=" + id + ",ifname=" + tapName + ",script=no,downscript=no",
        "-device", "virtio-net-device,netdev=" + id + ",mac=" + mac);
  }
}
