package io.goldilocks.spi.storage;

import io.goldilocks.spi.Mount;
import io.goldilocks.spi.SandboxContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One container's storage, as containerd and the OCI spec hand it to the shim.
 *
 * @param sandbox the sandbox (VM) the container runs in
 * @param containerId the container's id (equal to the sandbox id for the pause/sandbox container)
 * @param bundleDir the container's OCI bundle directory on the host ({@code config.json}, {@code rootfs/})
 * @param rootfs containerd's rootfs mounts from {@code CreateTaskRequest.rootfs}, in order (usually one overlay or
 *     bind mount); empty when the bundle's {@code rootfs/} is already populated
 * @param mounts the OCI spec's {@code mounts} the guest must provide to the container (volumes, binds, tmpfs, ...)
 */
public record StorageRequest(
    SandboxContext sandbox, String containerId, Path bundleDir, List<Mount> rootfs, List<Mount> mounts) {
  public StorageRequest {
    Objects.requireNonNull(sandbox, "sandbox");
    Objects.requireNonNull(containerId, "containerId");
    Objects.requireNonNull(bundleDir, "bundleDir");
    rootfs = List.copyOf(rootfs);
    mounts = List.copyOf(mounts);
  }
}
