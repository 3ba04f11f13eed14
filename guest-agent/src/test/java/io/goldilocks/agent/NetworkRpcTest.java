package io.goldilocks.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldilocks.api.agent.v1.ConfigureNetworkRequest;
import io.goldilocks.api.agent.v1.NetworkInterface;
import io.goldilocks.api.agent.v1.NetworkRoute;
import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import org.junit.jupiter.api.Test;

class NetworkRpcTest {
  private static NetworkInterface.Builder nic() {
    return NetworkInterface.newBuilder().setMac("02:00:00:00:00:01").setName("eth0").addAddresses("10.250.0.2/24")
        .setMtu(1500);
  }

  @Test
  void aGoodRequestPassesThrough() throws Exception {
    ConfigureNetworkRequest r = ConfigureNetworkRequest.newBuilder().addInterfaces(nic())
        .addRoutes(NetworkRoute.newBuilder().setDestination("default").setGateway("10.250.0.1").setDevice("eth0"))
        .build();
    assertThat(NetworkRpc.nics(r)).singleElement().satisfies(n -> {
      assertThat(n.name()).isEqualTo("eth0");
      assertThat(n.addresses()).containsExactly("10.250.0.2/24");
    });
    assertThat(NetworkRpc.routes(r)).singleElement().satisfies(route -> assertThat(route.gateway())
        .isEqualTo("10.250.0.1"));
  }

  @Test
  void malformedFieldsAreInvalidArgument() {
    for (NetworkInterface.Builder bad : new NetworkInterface.Builder[] {
        nic().setMac("02:00:00:00:00:0G"), nic().setName("eth0; reboot"), nic().setName("a-name-longer-than-15"),
        nic().setMtu(67), nic().addAddresses("10.0.0.1"), nic().addAddresses("10.0.0.1/33"),
        nic().addAddresses("fd00::1/129"), nic().addAddresses("-rf/8")}) {
      ConfigureNetworkRequest r = ConfigureNetworkRequest.newBuilder().addInterfaces(bad).build();
      assertThatThrownBy(() -> NetworkRpc.nics(r)).as(bad.toString()).isInstanceOfSatisfying(TtrpcException.class,
          e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT));
    }
    ConfigureNetworkRequest route = ConfigureNetworkRequest.newBuilder()
        .addRoutes(NetworkRoute.newBuilder().setDestination("default").setGateway("gw.example")).build();
    assertThatThrownBy(() -> NetworkRpc.routes(route)).isInstanceOfSatisfying(TtrpcException.class,
        e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT));
  }

  @Test
  void tooManyInterfacesOrRoutesAreResourceExhausted() {
    ConfigureNetworkRequest.Builder many = ConfigureNetworkRequest.newBuilder();
    for (int i = 0; i <= NetworkRpc.ROUTES_MAX; i++) {
      many.addRoutes(NetworkRoute.newBuilder().setDestination("10.0." + i + ".0/24"));
    }
    assertThatThrownBy(() -> NetworkRpc.routes(many.build())).isInstanceOfSatisfying(TtrpcException.class,
        e -> assertThat(e.code()).isEqualTo(Code.RESOURCE_EXHAUSTED));
  }
}
