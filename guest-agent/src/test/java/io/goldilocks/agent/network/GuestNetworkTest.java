package io.goldilocks.agent.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldilocks.agent.process.CommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestNetworkTest {
  @TempDir Path sys;

  @Test
  void nicIsRenamedGivenMtuUpThenAddresses() {
    GuestNetwork.Nic nic = new GuestNetwork.Nic("02:00:00:00:00:01", "eth0", List.of("10.250.0.2/24", "fd00::2/64"),
        1450);
    assertThat(GuestNetwork.nicCommands("eth1", nic)).containsExactly(
        List.of("ip", "link", "set", "dev", "eth1", "down"),
        List.of("ip", "link", "set", "dev", "eth1", "name", "eth0"),
        List.of("ip", "link", "set", "dev", "eth0", "mtu", "1450"),
        List.of("ip", "link", "set", "dev", "eth0", "up"),
        List.of("ip", "addr", "add", "10.250.0.2/24", "dev", "eth0"),
        List.of("ip", "addr", "add", "fd00::2/64", "dev", "eth0"));
  }

  @Test
  void nicWithTheRightNameAndNoMtuIsOnlyBroughtUpAndAddressed() {
    GuestNetwork.Nic nic = new GuestNetwork.Nic("02:00:00:00:00:01", "eth0", List.of("10.0.0.2/8"), 0);
    assertThat(GuestNetwork.nicCommands("eth0", nic)).containsExactly(
        List.of("ip", "link", "set", "dev", "eth0", "up"),
        List.of("ip", "addr", "add", "10.0.0.2/8", "dev", "eth0"));
  }

  @Test
  void routesPickTheFamilyAndOmitEmptyParts() {
    assertThat(GuestNetwork.routeCommand(new GuestNetwork.RouteSpec("default", "10.250.0.1", "eth0")))
        .containsExactly("ip", "route", "add", "default", "via", "10.250.0.1", "dev", "eth0");
    assertThat(GuestNetwork.routeCommand(new GuestNetwork.RouteSpec("10.1.0.0/16", "", "")))
        .containsExactly("ip", "route", "add", "10.1.0.0/16");
    assertThat(GuestNetwork.routeCommand(new GuestNetwork.RouteSpec("default", "fd00::1", "eth0")))
        .containsExactly("ip", "-6", "route", "add", "default", "via", "fd00::1", "dev", "eth0");
  }

  @Test
  void nicIsFoundByMacWhateverItsName() throws Exception {
    Files.createDirectories(sys.resolve("lo"));
    Files.writeString(sys.resolve("lo/address"), "00:00:00:00:00:00\n");
    Files.createDirectories(sys.resolve("eth3"));
    Files.writeString(sys.resolve("eth3/address"), "02:aa:bb:cc:dd:ee\n");
    GuestNetwork network = new GuestNetwork(new CommandRunner(), sys);
    assertThat(network.nicWithMac("02:aa:bb:cc:dd:ee")).contains("eth3");
    assertThat(network.nicWithMac("02:aa:bb:cc:dd:ef")).isEmpty();
  }
}
