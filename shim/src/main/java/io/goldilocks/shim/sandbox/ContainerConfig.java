package io.goldilocks.shim.sandbox;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@link Sandbox#createContainer(ContainerConfig)} needs. Immutable, thread-safe (do not change the spec array
 * after handing it over).
 *
 * <p>The sandbox asks its {@link ContainerStorage} (the storage plugin) for the container's plan, performs the plan's
 * host bind mounts into its {@code RootfsShare} (storage-virtiofs binds {@code rootfs} read-write, so the container's
 * writes land in the host directory, e.g. containerd's snapshot), and hands the spec with the plan's guest rootfs to
 * the guest agent, which creates the container with runc. The mounts are removed by
 * {@link Sandbox#removeContainer(String)} and by {@link Sandbox#shutdown()}.
 *
 * @param id the container id (containerd's identifier rule, at most 76 characters)
 * @param ociSpec the OCI runtime spec ({@code config.json}) as JSON bytes, as containerd wrote it into the bundle
 * @param rootfs the container's root filesystem on the host (an existing directory)
 * @param terminal whether the init process gets a pseudo-terminal (must match the spec's {@code process.terminal})
 * @param stdio where the init process's streams come from and go to
 */
public record ContainerConfig(String id, byte[] ociSpec, Path rootfs, boolean terminal, Stdio stdio) {
  public ContainerConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(ociSpec, "ociSpec");
    Objects.requireNonNull(rootfs, "rootfs");
    Objects.requireNonNull(stdio, "stdio");
  }
}
