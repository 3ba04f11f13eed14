package io.goldilocks.shim.plugins;

import io.goldilocks.spi.PluginException;
import io.goldilocks.spi.device.DevicePlugin;
import io.goldilocks.spi.device.DeviceRequest;
import io.goldilocks.spi.network.NetworkPlugin;
import io.goldilocks.spi.network.NetworkRequest;
import io.goldilocks.spi.storage.StoragePlugin;
import io.goldilocks.spi.storage.StorageRequest;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;

/**
 * The core's view of the plugins: which plugin serves a request. Lookups answer the provider as it is now (a bundle
 * swapped since the last lookup serves the next one); they wait up to {@code lookupWait} for a provider to register.
 *
 * <p>Callers keep the returned plugin only for the operation at hand (one plan, one setup): plans are values, so a
 * container created before a swap is not disturbed by it. Thread-safe.
 */
public final class PluginRegistry implements AutoCloseable {
  private final ProviderTracker<StoragePlugin> storage;
  private final ProviderTracker<NetworkPlugin> network;
  private final ProviderTracker<DevicePlugin> devices;
  private final Duration lookupWait;

  PluginRegistry(BundleContext context, Supplier<List<BundleInfo>> troubledPlugins, Duration lookupWait) {
    this.storage = new ProviderTracker<>(context, StoragePlugin.class, "storage", StoragePlugin::name,
        troubledPlugins);
    this.network = new ProviderTracker<>(context, NetworkPlugin.class, "network", NetworkPlugin::name,
        troubledPlugins);
    this.devices = new ProviderTracker<>(context, DevicePlugin.class, "device", DevicePlugin::name, troubledPlugins);
    this.lookupWait = lookupWait;
  }

  /** The storage plugin for a container's rootfs and mounts. */
  public StoragePlugin storageFor(StorageRequest request) throws PluginException {
    return storage.select(p -> p.supports(request), "container " + request.containerId(), lookupWait);
  }

  /** The network plugin for a sandbox. */
  public NetworkPlugin network(NetworkRequest request) throws PluginException {
    return network.select(p -> p.supports(request), "sandbox " + request.sandbox().sandboxId(), lookupWait);
  }

  /** The device plugin for a container's device requests (call only when {@code !request.isEmpty()}). */
  public DevicePlugin devicesFor(DeviceRequest request) throws PluginException {
    return devices.select(p -> p.supports(request), "the devices of container " + request.containerId()
        + " " + request.cdiDevices(), lookupWait);
  }

  @Override
  public void close() {
    storage.close();
    network.close();
    devices.close();
  }
}
