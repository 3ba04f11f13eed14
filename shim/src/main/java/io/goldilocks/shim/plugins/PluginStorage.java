package io.goldilocks.shim.plugins;

import io.goldilocks.shim.sandbox.ContainerConfig;
import io.goldilocks.shim.sandbox.ContainerStorage;
import io.goldilocks.shim.sandbox.SandboxConfig;
import io.goldilocks.spi.PluginException;
import io.goldilocks.spi.SandboxContext;
import io.goldilocks.spi.storage.StoragePlan;
import io.goldilocks.spi.storage.StoragePlugin;
import io.goldilocks.spi.storage.StorageRequest;
import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container's storage plan from the storage plugin that supports it ({@code registry.storageFor}); asked once per
 * container create, so a swapped bundle plans the next container. The container's rootfs directory is already
 * populated (the shim mounted containerd's rootfs mounts on it), so the request carries no rootfs mounts. Errors name
 * the plugin; without one (plugin host off, bundle missing or broken) create fails FAILED_PRECONDITION naming the
 * storage bundle, with the registry's list of plugins and troubled bundles. Thread-safe (immutable).
 */
public final class PluginStorage implements ContainerStorage {
  /** The shipped bundle that plans container storage, named in errors so an operator knows what to install. */
  static final String BUNDLE = "goldilocks-storage-virtiofs";
  private static final Logger log = LoggerFactory.getLogger(PluginStorage.class);

  private final SandboxPlugins plugins;
  private final Map<String, String> annotations;

  public PluginStorage(SandboxPlugins plugins, Map<String, String> annotations) {
    this.plugins = plugins;
    this.annotations = Map.copyOf(annotations);
  }

  @Override
  public StoragePlan plan(SandboxConfig sandbox, ContainerConfig container) throws TtrpcException {
    StorageRequest request = new StorageRequest(new SandboxContext(sandbox.id(), sandbox.sandboxDir(), annotations),
        container.id(), container.rootfs().toAbsolutePath().getParent(), List.of(), List.of());
    StoragePlugin plugin;
    try {
      plugin = plugins.registry().storageFor(request);
    } catch (PluginException | TtrpcException e) {
      // the plugin host is off or no plugin supports the request: nothing else can plan a rootfs
      throw new TtrpcException(Code.FAILED_PRECONDITION, "cannot create container " + container.id()
          + ": no storage plugin (the " + BUNDLE + " bundle plans container rootfs): " + e.getMessage(), e);
    }
    StoragePlan plan;
    try {
      plan = plugin.plan(request);
    } catch (PluginException e) {
      throw new TtrpcException(PluginErrors.codeOf(e.reason()), "storage plugin " + plugin.name()
          + " cannot plan container " + container.id() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw TtrpcException.failedPrecondition("storage plugin %s failed planning container %s: %s", plugin.name(),
          container.id(), e);
    }
    log.info("container {}: storage plan from plugin {}: guest rootfs {}, {} host mounts", container.id(),
        plugin.name(), plan.guestRootfs(), plan.hostMounts().size());
    return plan;
  }
}
