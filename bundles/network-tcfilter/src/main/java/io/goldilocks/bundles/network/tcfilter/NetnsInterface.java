package io.goldilocks.bundles.network.tcfilter;

import io.goldilocks.spi.network.IpAddress;
import io.goldilocks.spi.network.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An interface of the sandbox's network namespace as {@code ip -o} prints it: what the guest NIC must copy. Parsing
 * is separate from running so it is tested on captured output. Immutable.
 */
record NetnsInterface(String name, String mac, int mtu, boolean up, List<IpAddress> addresses, List<Route> routes) {
  // 2: eth0@if7: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP ... link/ether 0a:58:.. brd ..
  private static final Pattern LINK = Pattern.compile(
      "^\\d+:\\s+([^:@\\s]+)(?:@\\S+)?:\\s+<([^>]*)>.*?\\bmtu\\s+(\\d+)\\b.*?link/(\\S+)(?:\\s+([0-9a-f:]{17}))?");
  // 2: eth0    inet 10.88.0.5/16 brd 10.88.255.255 scope global eth0\       valid_lft forever ...
  private static final Pattern ADDR =
      Pattern.compile("^\\d+:\\s+(\\S+)\\s+inet6?\\s+([0-9a-fA-F.:]+)/(\\d+)\\b.*?\\bscope\\s+(\\S+)");

  NetnsInterface {
    addresses = List.copyOf(addresses);
    routes = List.copyOf(routes);
  }

  /** An Ethernet link of {@code ip -o link show} output, without addresses yet; empty for other lines. */
  static Optional<NetnsInterface> parseLink(String line) {
    Matcher m = LINK.matcher(line);
    if (!m.find() || !"ether".equals(m.group(4)) || m.group(5) == null) {
      return Optional.empty();
    }
    boolean up = List.of(m.group(2).split(",")).contains("UP");
    return Optional.of(new NetnsInterface(m.group(1), m.group(5), Integer.parseInt(m.group(3)), up, List.of(),
        List.of()));
  }

  /** The global-scope addresses of {@code name} in {@code ip -o addr show} output (link-local ones are skipped). */
  static List<IpAddress> parseAddresses(String name, String output) {
    List<IpAddress> addresses = new ArrayList<>();
    for (String line : output.split("\n")) {
      Matcher m = ADDR.matcher(line);
      if (m.find() && m.group(1).equals(name) && m.group(4).equals("global")) {
        addresses.add(new IpAddress(m.group(2), Integer.parseInt(m.group(3))));
      }
    }
    return addresses;
  }

  /**
   * The routes of {@code ip -o route show dev <name>} output the guest must add itself: not the kernel's own subnet
   * routes (the guest's kernel adds those with the address), not link-local or multicast ones.
   */
  static List<Route> parseRoutes(String name, String output) {
    List<Route> routes = new ArrayList<>();
    for (String line : output.split("\n")) {
      List<String> words = List.of(line.trim().split("\\s+"));
      String destination = words.get(0);
      if (destination.isEmpty() || line.contains("proto kernel") || destination.startsWith("fe80:")
          || destination.startsWith("ff00:") || destination.startsWith("multicast")) {
        continue;
      }
      int via = words.indexOf("via");
      String gateway = via >= 0 && via + 1 < words.size() ? words.get(via + 1) : "";
      routes.add(new Route(destination, gateway, name));
    }
    return routes;
  }

  NetnsInterface with(List<IpAddress> newAddresses, List<Route> newRoutes) {
    return new NetnsInterface(name, mac, mtu, up, newAddresses, newRoutes);
  }
}
