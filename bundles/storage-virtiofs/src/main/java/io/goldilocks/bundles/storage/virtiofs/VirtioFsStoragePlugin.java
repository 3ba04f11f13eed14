package io.goldilocks.bundles.storage.virtiofs;

import io.goldilocks.spi.PluginException;
import io.goldilocks.spi.storage.StoragePlan;
import io.goldilocks.spi.storage.StoragePlugin;
import io.goldilocks.spi.storage.StorageRequest;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default storage plugin: one virtio-fs share per sandbox carrying every container's rootfs and bind mounts
 * (see {@link RootfsSharePlanner}). Declines sandboxes whose {@value #SELECT_ANNOTATION} annotation names another
 * storage plugin. Stateless, thread-safe.
 */
@Component(service = StoragePlugin.class, property = "service.ranking:Integer=0")
public final class VirtioFsStoragePlugin implements StoragePlugin {
  /** Sandbox annotation that selects a storage plugin by name. */
  static final String SELECT_ANNOTATION = "io.goldilocks.storage";
  static final String NAME = "virtiofs";
  private static final Logger LOG = LoggerFactory.getLogger(VirtioFsStoragePlugin.class);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean supports(StorageRequest request) {
    String selected = request.sandbox().annotations().getOrDefault(SELECT_ANNOTATION, NAME);
    return NAME.equals(selected);
  }

  @Override
  public StoragePlan plan(StorageRequest request) throws PluginException {
    if (!supports(request)) {
      throw new PluginException(PluginException.Reason.UNSUPPORTED, "sandbox " + request.sandbox().sandboxId()
          + " selects storage plugin '" + request.sandbox().annotations().get(SELECT_ANNOTATION) + "', not " + NAME);
    }
    StoragePlan plan = RootfsSharePlanner.plan(request);
    LOG.debug("container {}: {} host mounts, guest rootfs {}", request.containerId(), plan.hostMounts().size(),
        plan.guestRootfs());
    return plan;
  }
}
