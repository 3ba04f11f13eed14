package io.goldilocks.agent;

import com.google.protobuf.Empty;
import io.goldilocks.agent.network.GuestNetwork;
import io.goldilocks.api.agent.v1.ConfigureNetworkRequest;
import io.goldilocks.api.agent.v1.NetworkInterface;
import io.goldilocks.api.agent.v1.NetworkRoute;
import io.goldilocks.ttrpc.CallContext;
import io.goldilocks.ttrpc.Service;
import io.goldilocks.ttrpc.TtrpcException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** ConfigureNetwork of goldilocks.agent.v1.Agent: checks every bound, then hands plain values to {@link GuestNetwork}. */
final class NetworkRpc {
  static final int INTERFACES_MAX = 8;
  static final int ADDRESSES_MAX = 16;
  static final int ROUTES_MAX = 64;
  private static final Pattern MAC = Pattern.compile("([0-9a-f]{2}:){5}[0-9a-f]{2}");
  private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
  /** Digits, hex, dots and colons only: an IPv4 or IPv6 literal's characters (ip(8) checks the rest). */
  private static final Pattern IP = Pattern.compile("[0-9A-Fa-f.:]{2,45}");

  private final GuestNetwork network;

  NetworkRpc(GuestNetwork network) {
    this.network = network;
  }

  void register(Service.Builder b) {
    b.unary("ConfigureNetwork", ConfigureNetworkRequest.parser(), this::configure);
  }

  private Empty configure(CallContext ctx, ConfigureNetworkRequest r) throws TtrpcException {
    network.configure(nics(r), routes(r));
    return Empty.getDefaultInstance();
  }

  static List<GuestNetwork.Nic> nics(ConfigureNetworkRequest r) throws TtrpcException {
    List<GuestNetwork.Nic> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (NetworkInterface i : RequestChecks.count("interfaces", r.getInterfacesList(), INTERFACES_MAX)) {
      require(MAC.matcher(i.getMac()).matches(), "interface mac must be lower-case aa:bb:cc:dd:ee:ff: '%s'",
          i.getMac());
      require(IFNAME.matcher(i.getName()).matches(), "interface name must be 1-15 of [A-Za-z0-9_.-]: '%s'",
          i.getName());
      require(names.add(i.getName()), "duplicate interface name %s", i.getName());
      require(i.getMtu() == 0 || (i.getMtu() >= 68 && i.getMtu() <= 65535), "mtu must be 0 or 68..65535: %d",
          i.getMtu());
      List<String> addresses = new ArrayList<>();
      for (String a : RequestChecks.count("addresses", i.getAddressesList(), ADDRESSES_MAX)) {
        addresses.add(cidr("address", a));
      }
      out.add(new GuestNetwork.Nic(i.getMac(), i.getName(), addresses, i.getMtu()));
    }
    return out;
  }

  static List<GuestNetwork.RouteSpec> routes(ConfigureNetworkRequest r) throws TtrpcException {
    List<GuestNetwork.RouteSpec> out = new ArrayList<>();
    for (NetworkRoute route : RequestChecks.count("routes", r.getRoutesList(), ROUTES_MAX)) {
      String dest = route.getDestination().equals("default") ? "default" : cidr("route destination",
          route.getDestination());
      require(route.getGateway().isEmpty() || IP.matcher(route.getGateway()).matches(),
          "route gateway is not an IP address: '%s'", route.getGateway());
      require(route.getDevice().isEmpty() || IFNAME.matcher(route.getDevice()).matches(),
          "route device must be 1-15 of [A-Za-z0-9_.-]: '%s'", route.getDevice());
      out.add(new GuestNetwork.RouteSpec(dest, route.getGateway(), route.getDevice()));
    }
    return out;
  }

  /** {@code address/prefix} with a prefix in range for the family. */
  static String cidr(String what, String value) throws TtrpcException {
    int slash = value.indexOf('/');
    require(slash > 0 && IP.matcher(value.substring(0, slash)).matches(), "%s is not address/prefix: '%s'", what,
        value.length() > 64 ? value.substring(0, 64) + "..." : value);
    int max = value.substring(0, slash).contains(":") ? 128 : 32;
    try {
      int prefix = Integer.parseInt(value.substring(slash + 1));
      require(prefix >= 0 && prefix <= max, "%s prefix must be 0..%d: '%s'", what, max, value);
    } catch (NumberFormatException e) {
      throw TtrpcException.invalidArgument("%s is not address/prefix: '%s'", what, value);
    }
    return value;
  }

  private static void require(boolean ok, String fmt, Object... args) throws TtrpcException {
    if (!ok) {
      throw TtrpcException.invalidArgument(fmt, args);
    }
  }
}
