package io.goldilocks.spi.storage;

import io.goldilocks.spi.PluginException;

/**
 * Plans how a container's root filesystem and volumes reach the VM.
 *
 * <p>A plugin only plans: it returns values ({@link StoragePlan}) and the shim's sandbox layer executes them (host
 * mounts, hypervisor devices, guest mounts), so a plugin never holds host state that outlives the call. The shim picks,
 * among the registered {@code StoragePlugin} services whose {@link #supports} answers true, the one with the highest
 * {@code service.ranking}.
 *
 * <p>Implementations must be thread-safe: containers of several sandboxes are planned concurrently.
 */
public interface StoragePlugin {
  /** A short, stable name for logs and errors, e.g. {@code virtiofs}. */
  String name();

  /** True when this plugin can plan {@code request} (e.g. it understands every rootfs mount type). Cheap, no I/O. */
  boolean supports(StorageRequest request);

  /**
   * Plans the container's storage.
   *
   * @throws PluginException with {@link PluginException.Reason#INVALID_ARGUMENT} for a malformed mount,
   *     {@link PluginException.Reason#UNSUPPORTED} when {@link #supports} would have said false
   */
  StoragePlan plan(StorageRequest request) throws PluginException;
}
