package io.goldilocks.shim.sandbox;

import io.goldilocks.api.agent.v1.ConfigureNetworkRequest;
import io.goldilocks.api.agent.v1.NetworkInterface;
import io.goldilocks.api.agent.v1.NetworkRoute;
import io.goldilocks.spi.network.GuestInterface;
import io.goldilocks.spi.network.IpAddress;
import io.goldilocks.spi.network.NetworkPlan;
import io.goldilocks.spi.network.Route;

/** The guest half of a {@link NetworkPlan} as the agent's ConfigureNetwork request. Stateless. */
final class GuestNetworkRequest {
  private GuestNetworkRequest() {}

  static ConfigureNetworkRequest of(NetworkPlan plan) {
    ConfigureNetworkRequest.Builder b = ConfigureNetworkRequest.newBuilder();
    for (GuestInterface i : plan.interfaces()) {
      NetworkInterface.Builder nic = NetworkInterface.newBuilder().setMac(i.mac()).setName(i.name()).setMtu(i.mtu());
      i.addresses().stream().map(IpAddress::toString).forEach(nic::addAddresses);
      b.addInterfaces(nic);
    }
    for (Route r : plan.routes()) {
      b.addRoutes(NetworkRoute.newBuilder().setDestination(r.destination()).setGateway(r.gateway())
          .setDevice(r.interfaceName()));
    }
    return b.build();
  }
}
