package io.goldilocks.hypervisor;

import java.nio.file.Path;

/** A raw disk image attached read-only as a virtio-blk device ({@code /dev/vda} for the first). */
public record DiskImage(String id, Path image) {
  public DiskImage {
    VmConfig.requireToken(id, "disk id");
    image = image.toAbsolutePath().normalize();
  }
}
