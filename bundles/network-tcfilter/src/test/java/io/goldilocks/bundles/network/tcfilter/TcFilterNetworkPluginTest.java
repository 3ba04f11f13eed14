package io.goldilocks.bundles.network.tcfilter;

import static io.goldilocks.bundles.network.tcfilter.CniBridgeFixture.run;
import static io.goldilocks.bundles.network.tcfilter.CniBridgeFixture.sh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldilocks.spi.PluginException;
import io.goldilocks.spi.SandboxContext;
import io.goldilocks.spi.network.GuestInterface;
import io.goldilocks.spi.network.IpAddress;
import io.goldilocks.spi.network.NetworkPlan;
import io.goldilocks.spi.network.NetworkRequest;
import io.goldilocks.spi.network.Route;
import io.goldilocks.spi.network.TapDevice;
import io.goldilocks.testing.HostRequirements;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The plugin against a real network namespace and veth made like the CNI bridge plugin makes them (needs root). */
class TcFilterNetworkPluginTest {
  private final TcFilterNetworkPlugin plugin = new TcFilterNetworkPlugin();

  @Test
  void withoutANetnsTheGuestGetsLoopbackOnly() throws Exception {
    NetworkPlan plan = plugin.setup(request(Optional.empty()));
    assertThat(plan.isLoopbackOnly()).isTrue();
    assertThat(plan.interfaces()).isEmpty();
    plugin.teardown(request(Optional.empty()));
  }

  @Test
  void tapAndRedirectsAreCreatedInTheNetnsAndTeardownRemovesThem() throws Exception {
    requireNetworkTools();
    try (CniBridgeFixture cni = new CniBridgeFixture()) {
      NetworkRequest request = request(Optional.of(cni.podNetns()));

      NetworkPlan plan = plugin.setup(request);

      String mac = cni.podMac();
      assertThat(plan.taps()).containsExactly(new TapDevice("tap0_gl", mac, 1500, cni.podNetns()));
      assertThat(plan.interfaces()).containsExactly(
          new GuestInterface("eth0", mac, 1500, List.of(new IpAddress(CniBridgeFixture.POD_IP, 24))));
      assertThat(plan.routes()).containsExactly(new Route("default", CniBridgeFixture.GATEWAY, "eth0"));
      assertThat(run("ip", "-n", cni.podNs, "link", "show", "tap0_gl").exit()).isZero();
      assertThat(sh("tc", "-n", cni.podNs, "filter", "show", "dev", "eth0", "ingress"))
          .contains("Egress Redirect to device tap0_gl");
      assertThat(sh("tc", "-n", cni.podNs, "filter", "show", "dev", "tap0_gl", "ingress"))
          .contains("Egress Redirect to device eth0");

      plugin.teardown(request);

      assertThat(run("ip", "-n", cni.podNs, "link", "show", "tap0_gl").exit()).isNotZero();
      assertThat(sh("tc", "-n", cni.podNs, "qdisc", "show", "dev", "eth0")).doesNotContain("ingress");
      assertThat(sh("ip", "-n", cni.podNs, "-o", "addr", "show", "dev", "eth0")).contains(CniBridgeFixture.POD_IP);
      plugin.teardown(request); // idempotent
    }
  }

  @Test
  void framesArrivingOnTheVethAreRedirectedToTheTap() throws Exception {
    requireNetworkTools();
    HostRequirements.requireExecutable("busybox");
    try (CniBridgeFixture cni = new CniBridgeFixture()) {
      NetworkRequest request = request(Optional.of(cni.podNetns()));
      plugin.setup(request);
      long before = redirectedPackets(cni);

      // the ARP request for the pod IP reaches eth0 and must leave through the tap (no VM reads it yet)
      run("ip", "netns", "exec", cni.hostNs, "busybox", "ping", "-c", "2", "-W", "1", CniBridgeFixture.POD_IP);

      assertThat(redirectedPackets(cni)).isGreaterThan(before);
      plugin.teardown(request);
    }
  }

  @Test
  void setupAfterACrashReplacesTheLeftovers() throws Exception {
    requireNetworkTools();
    try (CniBridgeFixture cni = new CniBridgeFixture()) {
      NetworkRequest request = request(Optional.of(cni.podNetns()));
      plugin.setup(request);
      NetworkPlan again = plugin.setup(request); // a restarted shim sets up the same sandbox again
      assertThat(again.taps()).hasSize(1);
      assertThat(sh("tc", "-n", cni.podNs, "filter", "show", "dev", "eth0", "ingress"))
          .containsOnlyOnce("Redirect to device tap0_gl");
      plugin.teardown(request);
    }
  }

  @Test
  void netnsWithoutAnAddressedInterfaceFailsAndLeavesNothing() throws Exception {
    requireNetworkTools();
    String ns = "gl-empty-" + ProcessHandle.current().pid();
    sh("ip", "netns", "add", ns);
    try {
      assertThatThrownBy(() -> plugin.setup(request(Optional.of(Path.of("/var/run/netns", ns)))))
          .isInstanceOf(PluginException.class).hasMessageContaining("no Ethernet interface with an address")
          .satisfies(e -> assertThat(((PluginException) e).reason())
              .isEqualTo(PluginException.Reason.FAILED_PRECONDITION));
      assertThat(run("ip", "-n", ns, "link", "show", "tap0_gl").exit()).isNotZero();
    } finally {
      run("ip", "netns", "del", ns);
    }
  }

  @Test
  void missingNetnsIsAFailedPrecondition() {
    assertThatThrownBy(() -> plugin.setup(request(Optional.of(Path.of("/var/run/netns/gl-no-such-netns")))))
        .isInstanceOf(PluginException.class).hasMessageContaining("does not exist");
  }

  private static long redirectedPackets(CniBridgeFixture cni) throws Exception {
    String stats = sh("tc", "-s", "-n", cni.podNs, "filter", "show", "dev", "eth0", "ingress");
    Matcher m = Pattern.compile("Sent \\d+ bytes (\\d+) pkt").matcher(stats);
    assertThat(m.find()).as("tc stats: %s", stats).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static void requireNetworkTools() {
    HostRequirements.requireRoot();
    HostRequirements.requireExecutable("ip");
    HostRequirements.requireExecutable("tc");
    HostRequirements.requireExecutable("nsenter");
  }

  private static NetworkRequest request(Optional<Path> netns) {
    return new NetworkRequest(new SandboxContext("sb1", Path.of("/run/goldilocks/sandbox/sb1"), Map.of()), netns);
  }
}
