package io.goldilocks.spi.network;

import java.util.List;

/**
 * The VM's network: the tap devices the hypervisor attaches and the configuration the guest applies (interfaces,
 * then routes, in order). The guest always brings up {@code lo}.
 *
 * @param taps the VM's NICs, in PCI order
 * @param interfaces the guest's interfaces, one per tap
 * @param routes the guest's routes
 */
public record NetworkPlan(List<TapDevice> taps, List<GuestInterface> interfaces, List<Route> routes) {
  public NetworkPlan {
    taps = List.copyOf(taps);
    interfaces = List.copyOf(interfaces);
    routes = List.copyOf(routes);
  }

  /** The plan for a sandbox without a network namespace: no NIC, the guest has loopback only. */
  public static NetworkPlan loopbackOnly() {
    return new NetworkPlan(List.of(), List.of(), List.of());
  }

  public boolean isLoopbackOnly() {
    return taps.isEmpty();
  }
}
