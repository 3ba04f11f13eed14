package io.goldilocks.spi.network;

import java.util.Objects;

/**
 * An interface address with its prefix, e.g. {@code 10.88.0.5/16} or {@code fd00::5/64}.
 *
 * @param address the address literal (IPv4 dotted quad or IPv6)
 * @param prefixLength the network prefix length (0..32 for IPv4, 0..128 for IPv6)
 */
public record IpAddress(String address, int prefixLength) {
  public IpAddress {
    Objects.requireNonNull(address, "address");
    int max = address.contains(":") ? 128 : 32;
    if (prefixLength < 0 || prefixLength > max) {
      throw new IllegalArgumentException("prefix length out of range 0.." + max + ": " + prefixLength);
    }
  }

  /** Parses {@code address/prefix}. */
  public static IpAddress parse(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash <= 0) {
      throw new IllegalArgumentException("not address/prefix: '" + cidr + "'");
    }
    return new IpAddress(cidr.substring(0, slash), Integer.parseInt(cidr.substring(slash + 1)));
  }

  public boolean isIpv6() {
    return address.contains(":");
  }

  @Override
  public String toString() {
    return address + "/" + prefixLength;
  }
}
