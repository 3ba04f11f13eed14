package io.goldilocks.hypervisor.qemu;

import java.nio.file.Path;
import java.util.List;

/** A raw image as a read-only virtio-blk device. */
public record VirtioBlkDisk(String id, Path image) implements QemuDevice {
  @Override
  public List<String> args() {
    return List.of(
        "-drive", "id=" + id + ",file=" + QemuOptions.escape(image.toString())
            + ",if=none,format=raw,readonly=on,cache=none,aio=threads",
        "-device", "virtio-blk-device,drive=" + id);
  }
}
