package io.goldilocks.hypervisor.qemu;

import java.util.List;

/** The virtio-serial bus (on virtio-mmio) that {@link VirtioSerialPort}s plug into; one per VM. */
public record VirtioSerialController() implements QemuDevice {
  @Override
  public List<String> args() {
    return List.of("-device", "virtio-serial-device,id=vserial0");
  }
}
