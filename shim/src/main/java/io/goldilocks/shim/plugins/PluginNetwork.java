package io.goldilocks.shim.plugins;

import io.goldilocks.shim.sandbox.SandboxConfig;
import io.goldilocks.shim.sandbox.SandboxNetwork;
import io.goldilocks.spi.PluginException;
import io.goldilocks.spi.SandboxContext;
import io.goldilocks.spi.network.NetworkPlan;
import io.goldilocks.spi.network.NetworkRequest;
import io.goldilocks.ttrpc.TtrpcException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sandbox's network from the network plugin (network-tcfilter): {@code setup} in the pod's network namespace before
 * the VM boots, {@code teardown} after it is gone. Teardown asks the plugin registered then (maybe a newer version
 * than set it up: plugins read their state back from the host). Without a netns the plugin is not asked at all and the
 * guest gets loopback only. Thread-safe (immutable).
 */
public final class PluginNetwork implements SandboxNetwork {
  private static final Logger log = LoggerFactory.getLogger(PluginNetwork.class);

  private final SandboxPlugins plugins;
  private final Optional<Path> netns;
  private final Map<String, String> annotations;

  public PluginNetwork(SandboxPlugins plugins, Optional<Path> netns, Map<String, String> annotations) {
    this.plugins = plugins;
    this.netns = netns;
    this.annotations = Map.copyOf(annotations);
  }

  @Override
  public Attachment attach(SandboxConfig config) throws TtrpcException {
    NetworkRequest request = new NetworkRequest(
        new SandboxContext(config.id(), config.sandboxDir(), annotations), netns);
    if (netns.isEmpty()) {
      log.info("sandbox {}: no network namespace given: the guest has loopback only", config.id());
      return SandboxNetwork.loopbackOnly().attach(config);
    }
    NetworkPlan plan;
    NetworkRecord.write(config.sandboxDir(), netns.get()); // first: a shim dying during setup is cleaned up too
    try {
      plan = plugins.registry().network(request).setup(request);
    } catch (PluginException e) {
      NetworkRecord.remove(config.sandboxDir()); // the plugin undid its partial changes
      throw PluginErrors.toTtrpc(e);
    } catch (TtrpcException | RuntimeException e) {
      NetworkRecord.remove(config.sandboxDir());
      throw e;
    }
    log.info("sandbox {}: network in {}: taps {}, guest {}, routes {}", config.id(), netns.get(), plan.taps(),
        plan.interfaces(), plan.routes());
    return new PluginAttachment(request, plan);
  }

  /** Teardown through the plugin registered at that time. Thread-safe: closes once. */
  private final class PluginAttachment implements Attachment {
    private final NetworkRequest request;
    private final NetworkPlan plan;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    PluginAttachment(NetworkRequest request, NetworkPlan plan) {
      this.request = request;
      this.plan = plan;
    }

    @Override
    public NetworkPlan plan() {
      return plan;
    }

    @Override
    public Optional<Path> netns() {
      return request.netns();
    }

    @Override
    public void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      try {
        plugins.registry().network(request).teardown(request);
        NetworkRecord.remove(request.sandbox().runDir());
      } catch (PluginException | TtrpcException | RuntimeException e) {
        log.error("sandbox {}: network teardown in {} failed (taps or tc filters may be left): {}",
            request.sandbox().sandboxId(), request.netns().orElseThrow(), e.getMessage());
      }
    }
  }
}
