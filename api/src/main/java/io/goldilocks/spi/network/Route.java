package io.goldilocks.spi.network;

import java.util.Objects;

/**
 * A route the guest must install.
 *
 * @param destination {@code default} or a network in {@code address/prefix} form
 * @param gateway the next hop, or empty for an on-link route
 * @param interfaceName the guest interface the route uses (a {@link GuestInterface#name()})
 */
public record Route(String destination, String gateway, String interfaceName) {
  public Route {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(interfaceName, "interfaceName");
  }

  public boolean isDefault() {
    return "default".equals(destination);
  }
}
