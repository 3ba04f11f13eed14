package io.goldilocks.bundles.network.tcfilter;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldilocks.spi.network.IpAddress;
import io.goldilocks.spi.network.Route;
import org.junit.jupiter.api.Test;

/** Parsing of `ip -o` output captured from a netns set up like the CNI bridge plugin does (iproute2 6.1). */
class NetnsInterfaceTest {
  private static final String LINKS = """
      1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
      2: eth0@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether 9a:ce:1d:a4:c5:ca brd ff:ff:ff:ff:ff:ff link-netns glh
      """;
  private static final String ADDRS = """
      1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
      2: eth0    inet 10.250.0.2/24 scope global eth0\\       valid_lft forever preferred_lft forever
      2: eth0    inet6 fd00:250::2/64 scope global \\       valid_lft forever preferred_lft forever
      2: eth0    inet6 fe80::98ce:1dff:fea4:c5ca/64 scope link tentative \\       valid_lft forever preferred_lft forever
      """;

  @Test
  void ethernetLinkIsParsedLoopbackIsNot() {
    String[] lines = LINKS.split("\n");
    assertThat(NetnsInterface.parseLink(lines[0])).isEmpty();
    NetnsInterface eth0 = NetnsInterface.parseLink(lines[1]).orElseThrow();
    assertThat(eth0.name()).isEqualTo("eth0");
    assertThat(eth0.mac()).isEqualTo("9a:ce:1d:a4:c5:ca");
    assertThat(eth0.mtu()).isEqualTo(1450);
    assertThat(eth0.up()).isTrue();
  }

  @Test
  void onlyGlobalAddressesOfTheInterfaceAreKept() {
    assertThat(NetnsInterface.parseAddresses("eth0", ADDRS))
        .containsExactly(new IpAddress("10.250.0.2", 24), new IpAddress("fd00:250::2", 64));
    assertThat(NetnsInterface.parseAddresses("lo", ADDRS)).isEmpty();
  }

  @Test
  void kernelAndLinkLocalRoutesAreLeftToTheGuestKernel() {
    String v4 = "default via 10.250.0.1 \n10.250.0.0/24 proto kernel scope link src 10.250.0.2 \n"
        + "10.96.0.0/12 via 10.250.0.254 \n";
    String v6 = "fe80::/64 proto kernel metric 256 pref medium\nfd00:250::/64 proto kernel metric 256 pref medium\n"
        + "default via fd00:250::1 metric 1024 pref medium\n";
    assertThat(NetnsInterface.parseRoutes("eth0", v4)).containsExactly(
        new Route("default", "10.250.0.1", "eth0"), new Route("10.96.0.0/12", "10.250.0.254", "eth0"));
    assertThat(NetnsInterface.parseRoutes("eth0", v6)).containsExactly(new Route("default", "fd00:250::1", "eth0"));
  }
}
