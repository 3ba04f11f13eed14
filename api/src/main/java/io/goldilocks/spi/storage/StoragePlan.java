package io.goldilocks.spi.storage;

import io.goldilocks.spi.Mount;
import java.util.List;
import java.util.Objects;

/**
 * What the shim must do so a container's storage is visible in the guest, in order of execution.
 *
 * @param vmStorage devices and shares the VM needs; a share already attached to the sandbox's VM (same tag and host
 *     directory) is reused, so planning the same share for every container is fine
 * @param hostMounts mounts the shim performs on the host before the container starts (e.g. containerd's overlay at
 *     the bundle's {@code rootfs/}, then a bind of it into the shared directory); undone in reverse order when the
 *     container is deleted
 * @param guestMounts mounts the guest agent performs before it starts the container (e.g. the virtio-fs tag at
 *     {@code /run/goldilocks/shared}); a mount already present in the guest is kept
 * @param guestRootfs the container's root filesystem path inside the guest (the runc bundle's {@code root.path})
 * @param containerMounts the OCI mounts the container gets in the guest, sources rewritten to guest paths
 */
public record StoragePlan(
    List<VmStorage> vmStorage,
    List<Mount> hostMounts,
    List<Mount> guestMounts,
    String guestRootfs,
    List<Mount> containerMounts) {
  public StoragePlan {
    vmStorage = List.copyOf(vmStorage);
    hostMounts = List.copyOf(hostMounts);
    guestMounts = List.copyOf(guestMounts);
    Objects.requireNonNull(guestRootfs, "guestRootfs");
    containerMounts = List.copyOf(containerMounts);
  }
}
