package io.goldilocks.agent.process;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What CreateContainer asks for, already bounds-checked by the RPC edge. Immutable.
 *
 * @param containerId containerd identifier
 * @param ociSpecJson the config.json as given by the host (rewritten for the guest by {@link GuestSpec})
 * @param rootfs absolute guest path of the root filesystem
 * @param stdio which stdio streams of the init process are connected
 */
public record CreateConfig(String containerId, String ociSpecJson, Path rootfs, StdioConfig stdio) {
  public CreateConfig {
    Objects.requireNonNull(containerId, "containerId");
    Objects.requireNonNull(ociSpecJson, "ociSpecJson");
    Objects.requireNonNull(rootfs, "rootfs");
    Objects.requireNonNull(stdio, "stdio");
  }
}
