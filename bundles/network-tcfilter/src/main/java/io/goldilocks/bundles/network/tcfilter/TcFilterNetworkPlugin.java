package io.goldilocks.bundles.network.tcfilter;

import io.goldilocks.spi.PluginException;
import io.goldilocks.spi.network.GuestInterface;
import io.goldilocks.spi.network.NetworkPlan;
import io.goldilocks.spi.network.NetworkPlugin;
import io.goldilocks.spi.network.NetworkRequest;
import io.goldilocks.spi.network.TapDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the VM to the CNI interface of the sandbox's network namespace with a tap device and tc redirects
 * ({@link TapRedirect}); the guest NIC takes the CNI interface's MAC, addresses, routes and MTU, so the pod keeps the
 * IP the CNI plugins gave it. Without a network namespace the guest gets loopback only. Stateless, thread-safe.
 */
@Component(service = NetworkPlugin.class, property = "service.ranking:Integer=0")
public final class TcFilterNetworkPlugin implements NetworkPlugin {
  /** Sandbox annotation that selects a network plugin by name. */
  static final String SELECT_ANNOTATION = "io.goldilocks.network";
  static final String NAME = "tcfilter";
  private static final Logger LOG = LoggerFactory.getLogger(TcFilterNetworkPlugin.class);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean supports(NetworkRequest request) {
    return NAME.equals(request.sandbox().annotations().getOrDefault(SELECT_ANNOTATION, NAME));
  }

  @Override
  public NetworkPlan setup(NetworkRequest request) throws PluginException {
    if (request.netns().isEmpty()) {
      LOG.info("sandbox {} has no network namespace: the guest gets loopback only", request.sandbox().sandboxId());
      return NetworkPlan.loopbackOnly();
    }
    Path netns = existingNetns(request);
    NetnsCommands ns = new NetnsCommands(netns);
    TapRedirect.remove(ns, linkNames(ns)); // leftovers of a crashed shim
    NetnsInterface veth = cniInterface(ns, request);
    try {
      TapRedirect.create(ns, veth);
    } catch (PluginException e) {
      teardownQuietly(ns, e);
      throw e;
    }
    LOG.info("sandbox {}: {} redirected to {} ({} {}, mtu {})", request.sandbox().sandboxId(), veth.name(),
        TapRedirect.TAP, veth.mac(), veth.addresses(), veth.mtu());
    return new NetworkPlan(
        List.of(new TapDevice(TapRedirect.TAP, veth.mac(), veth.mtu(), netns)),
        List.of(new GuestInterface(veth.name(), veth.mac(), veth.mtu(), veth.addresses())),
        veth.routes());
  }

  @Override
  public void teardown(NetworkRequest request) throws PluginException {
    if (request.netns().isEmpty() || !Files.exists(request.netns().get())) {
      return; // nothing was created, or the namespace (and all in it) is gone already
    }
    NetnsCommands ns = new NetnsCommands(request.netns().get());
    TapRedirect.remove(ns, linkNames(ns));
  }

  private static Path existingNetns(NetworkRequest request) throws PluginException {
    Path netns = request.netns().get();
    if (!Files.exists(netns)) {
      throw new PluginException(PluginException.Reason.FAILED_PRECONDITION, "network namespace " + netns
          + " of sandbox " + request.sandbox().sandboxId() + " does not exist");
    }
    return netns;
  }

  /** The first Ethernet interface with a global address: the one the CNI plugin made (eth0 for the bridge plugin). */
  private static NetnsInterface cniInterface(NetnsCommands ns, NetworkRequest request) throws PluginException {
    List<NetnsInterface> candidates = new ArrayList<>();
    for (String line : ns.check("ip", "-o", "link", "show").split("\n")) {
      NetnsInterface.parseLink(line).filter(i -> !i.name().equals(TapRedirect.TAP)).ifPresent(candidates::add);
    }
    String addrs = ns.check("ip", "-o", "addr", "show");
    for (NetnsInterface link : candidates) {
      var addresses = NetnsInterface.parseAddresses(link.name(), addrs);
      if (!addresses.isEmpty()) {
        var routes = new ArrayList<>(NetnsInterface.parseRoutes(link.name(),
            ns.check("ip", "-o", "-4", "route", "show", "dev", link.name())));
        routes.addAll(NetnsInterface.parseRoutes(link.name(),
            ns.check("ip", "-o", "-6", "route", "show", "dev", link.name())));
        if (candidates.size() > 1) {
          LOG.warn("sandbox {}: using {} of {} interfaces; the others are not connected to the VM",
              request.sandbox().sandboxId(), link.name(), candidates.size());
        }
        return link.with(addresses, routes);
      }
    }
    throw new PluginException(PluginException.Reason.FAILED_PRECONDITION, "network namespace "
        + request.netns().get() + " has no Ethernet interface with an address (did the CNI plugins run?)");
  }

  private static List<String> linkNames(NetnsCommands ns) throws PluginException {
    List<String> names = new ArrayList<>();
    for (String line : ns.check("ip", "-o", "link", "show").split("\n")) {
      String[] parts = line.split(":\\s+", 3);
      if (parts.length >= 2) {
        names.add(parts[1].split("@")[0]);
      }
    }
    return names;
  }

  private static void teardownQuietly(NetnsCommands ns, PluginException cause) {
    try {
      TapRedirect.remove(ns, linkNames(ns));
    } catch (PluginException e) {
      cause.addSuppressed(e);
    }
  }
}
