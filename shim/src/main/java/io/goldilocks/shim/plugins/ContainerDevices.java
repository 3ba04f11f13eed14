package io.goldilocks.shim.plugins;

import io.goldilocks.spi.PluginException;
import io.goldilocks.spi.device.DevicePlan;
import io.goldilocks.spi.device.DevicePlugin;
import io.goldilocks.spi.device.DeviceRequest;
import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container's devices from the device plugin that supports its request (CDI names, OCI {@code linux.devices}).
 * Errors name the plugin, and the registry's "none supports" error names every plugin and troubled bundle. Host
 * devices (VFIO) are planned by plugins but not attached by this build yet: such a plan fails FAILED_PRECONDITION
 * rather than starting a container without its device. Stateless.
 */
public final class ContainerDevices {
  private static final Logger log = LoggerFactory.getLogger(ContainerDevices.class);

  private ContainerDevices() {}

  /** The plan for {@code request}; {@link DevicePlan#none()} for a container that asks for no devices. */
  public static DevicePlan plan(SandboxPlugins plugins, DeviceRequest request) throws TtrpcException {
    if (request.isEmpty()) {
      return DevicePlan.none();
    }
    DevicePlugin plugin;
    try {
      plugin = plugins.registry().devicesFor(request);
    } catch (PluginException e) {
      throw PluginErrors.toTtrpc(e);
    }
    DevicePlan plan;
    try {
      plan = plugin.plan(request);
    } catch (PluginException e) {
      throw new TtrpcException(PluginErrors.codeOf(e.reason()), "device plugin " + plugin.name() + " cannot give "
          + "container " + request.containerId() + " " + request.cdiDevices() + ": " + e.getMessage(), e);
    }
    if (!plan.hostDevices().isEmpty()) {
      throw new TtrpcException(Code.FAILED_PRECONDITION, "device plugin " + plugin.name() + " planned host devices "
          + plan.hostDevices() + " for container " + request.containerId() + ", but attaching host devices to the "
          + "VM is not implemented yet");
    }
    log.info("container {}: devices {} from plugin {}: env {}", request.containerId(), request.cdiDevices(),
        plugin.name(), plan.containerEnv().keySet());
    return plan;
  }
}
