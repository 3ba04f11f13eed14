package io.goldilocks.hypervisor;

import java.nio.file.Path;

/** A host directory shared into the guest with virtio-fs; the guest mounts it with {@code mount -t virtiofs tag DIR}. */
public record SharedDirectory(String tag, Path hostPath) {
  public SharedDirectory {
    VmConfig.requireToken(tag, "virtio-fs tag");
    hostPath = hostPath.toAbsolutePath().normalize();
  }
}
