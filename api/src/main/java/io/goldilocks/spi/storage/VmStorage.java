package io.goldilocks.spi.storage;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A storage device or share the hypervisor gives the VM, described as a value; the hypervisor layer renders it
 * (e.g. into QEMU arguments). A closed set: a new kind needs a new SPI minor version and hypervisor support.
 */
public sealed interface VmStorage {
  /**
   * A virtio-fs share: the host directory {@code hostDir} exported by one {@code virtiofsd}, visible in the guest
   * under the mount tag {@code tag}.
   */
  record VirtioFsShare(String tag, Path hostDir) implements VmStorage {
    public VirtioFsShare {
      Objects.requireNonNull(tag, "tag");
      Objects.requireNonNull(hostDir, "hostDir");
      if (tag.isEmpty() || tag.length() > 36) {
        throw new IllegalArgumentException("virtio-fs tag must be 1..36 bytes: '" + tag + "'");
      }
    }
  }

  /** A block device (a file or a host block device) attached as virtio-blk, identified in the guest by {@code id}. */
  record BlockDevice(String id, Path path, boolean readOnly) implements VmStorage {
    public BlockDevice {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(path, "path");
    }
  }
}
