package io.goldilocks.spi.device;

import io.goldilocks.spi.PluginException;

/**
 * Plans the host devices a container's VM needs and the device nodes the container gets in the guest.
 *
 * <p>For each container with device requests, the shim picks among the {@code DevicePlugin} services whose
 * {@link #supports} answers true the one with the highest {@code service.ranking}. A plugin only plans; the shim
 * attaches the devices (before boot, or by hot-plug) and the guest agent adds the device nodes.
 *
 * <p>Implementations must be thread-safe.
 */
public interface DevicePlugin {
  /** A short, stable name for logs and errors, e.g. {@code gpu}. */
  String name();

  /** True when this plugin handles {@code request} (e.g. it knows every requested CDI kind). Cheap, no changes. */
  boolean supports(DeviceRequest request);

  /**
   * Plans the devices for {@code request}.
   *
   * @throws PluginException {@link PluginException.Reason#INVALID_ARGUMENT} for a malformed request,
   *     {@link PluginException.Reason#FAILED_PRECONDITION} when the host cannot pass the device through (no IOMMU,
   *     device absent), {@link PluginException.Reason#UNSUPPORTED} when {@link #supports} would have said false
   */
  DevicePlan plan(DeviceRequest request) throws PluginException;
}
