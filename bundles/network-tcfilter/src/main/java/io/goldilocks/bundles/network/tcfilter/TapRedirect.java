package io.goldilocks.bundles.network.tcfilter;

import io.goldilocks.spi.PluginException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tap device and the two tc ingress redirects that splice it to the CNI interface (the Kata / firecracker-
 * containerd "tcfilter" model): every frame arriving on the veth is sent out of the tap (to the VM) and every frame
 * the VM sends is sent out of the veth.
 * <pre>
 *   tc qdisc add dev eth0 ingress
 *   tc filter add dev eth0 parent ffff: protocol all u32 match u8 0 0 action mirred egress redirect dev tap0_gl
 *   (and the same from tap0_gl to eth0)
 * </pre>
 * Teardown is derived from what the namespace holds (not from memory), so a newer version of this bundle can tear
 * down what an older one set up. Stateless, thread-safe.
 */
final class TapRedirect {
  static final String TAP = "tap0_gl";
  private static final Logger LOG = LoggerFactory.getLogger(TapRedirect.class);

  private TapRedirect() {}

  static void create(NetnsCommands ns, NetnsInterface veth) throws PluginException {
    ns.check("ip", "tuntap", "add", "dev", TAP, "mode", "tap");
    ns.check("ip", "link", "set", "dev", TAP, "mtu", String.valueOf(veth.mtu()), "up");
    redirect(ns, veth.name(), TAP);
    redirect(ns, TAP, veth.name());
  }

  private static void redirect(NetnsCommands ns, String from, String to) throws PluginException {
    ns.check("tc", "qdisc", "add", "dev", from, "ingress");
    ns.check("tc", "filter", "add", "dev", from, "parent", "ffff:", "protocol", "all", "u32", "match", "u8", "0",
        "0", "action", "mirred", "egress", "redirect", "dev", to);
  }

  /** Removes the redirects to the tap and the tap itself; absent pieces are fine. */
  static void remove(NetnsCommands ns, List<String> interfaces) throws PluginException {
    List<String> failures = new ArrayList<>();
    for (String dev : interfaces) {
      if (dev.equals(TAP)) {
        continue;
      }
      NetnsCommands.Result filters = ns.run("tc", "filter", "show", "dev", dev, "ingress");
      if (filters.ok() && filters.stdout().contains("to device " + TAP + ")")) {
        NetnsCommands.Result del = ns.run("tc", "qdisc", "del", "dev", dev, "ingress");
        if (!del.ok()) {
          failures.add(dev + ": " + del.stderr().strip());
        }
      }
    }
    if (interfaces.contains(TAP)) {
      NetnsCommands.Result del = ns.run("ip", "link", "del", "dev", TAP);
      if (!del.ok()) {
        failures.add(TAP + ": " + del.stderr().strip());
      }
    }
    if (!failures.isEmpty()) {
      throw new PluginException(PluginException.Reason.INTERNAL, "tcfilter teardown left pieces behind: "
          + String.join("; ", failures));
    }
    LOG.debug("removed {} and its redirects", TAP);
  }
}
