package io.goldilocks.shim.sandbox;

import io.goldilocks.spi.storage.StoragePlan;
import io.goldilocks.ttrpc.TtrpcException;

/**
 * Where a container's storage plan comes from: a storage plugin (see {@code PluginStorage}). The sandbox only executes
 * the plan ({@link RootfsShare#execute}); it never decides the layout itself. Implementations are thread-safe.
 */
public interface ContainerStorage {
  /**
   * The plan for {@code container} in {@code sandbox}.
   *
   * @throws TtrpcException the plugin's error, naming the plugin or the troubled bundle (FAILED_PRECONDITION when no
   *     plugin can plan it)
   */
  StoragePlan plan(SandboxConfig sandbox, ContainerConfig container) throws TtrpcException;

  /** No storage plugin (the plugin host is off): every container create fails FAILED_PRECONDITION naming {@code why}. */
  static ContainerStorage unavailable(String why) {
    return (sandbox, container) -> {
      throw TtrpcException.failedPrecondition("cannot create container %s: no storage plugin (%s); the storage "
          + "bundle goldilocks-storage-virtiofs plans container rootfs", container.id(), why);
    };
  }
}
