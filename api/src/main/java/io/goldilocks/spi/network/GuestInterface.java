package io.goldilocks.spi.network;

import java.util.List;
import java.util.Objects;

/**
 * How the guest configures one NIC: the guest finds the NIC by {@code mac}, renames it to {@code name}, sets the MTU,
 * adds the addresses and brings it up.
 */
public record GuestInterface(String name, String mac, int mtu, List<IpAddress> addresses) {
  public GuestInterface {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(mac, "mac");
    addresses = List.copyOf(addresses);
  }
}
