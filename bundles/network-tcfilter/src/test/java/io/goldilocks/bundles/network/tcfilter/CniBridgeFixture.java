package io.goldilocks.bundles.network.tcfilter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A pod network made the way the CNI bridge plugin makes it, without touching the host's own network: a "host"
 * namespace with bridge {@code br0} (10.250.0.1/24) and a pod namespace whose {@code eth0} is the peer of a veth on
 * that bridge, with 10.250.0.2/24 and a default route via the bridge. {@link #close()} deletes both namespaces and
 * everything in them. For integration tests too (HTTP to the pod IP through the VM).
 */
final class CniBridgeFixture implements AutoCloseable {
  static final String POD_IP = "10.250.0.2";
  static final String GATEWAY = "10.250.0.1";

  final String hostNs;
  final String podNs;

  CniBridgeFixture() throws IOException, InterruptedException {
    String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
    hostNs = "gl-cnihost-" + suffix;
    podNs = "gl-cnipod-" + suffix;
    try {
      sh("ip", "netns", "add", hostNs);
      sh("ip", "netns", "add", podNs);
      sh("ip", "-n", hostNs, "link", "add", "br0", "type", "bridge");
      sh("ip", "-n", hostNs, "addr", "add", GATEWAY + "/24", "dev", "br0");
      sh("ip", "-n", hostNs, "link", "set", "br0", "up");
      sh("ip", "-n", hostNs, "link", "add", "veth" + suffix, "type", "veth", "peer", "name", "eth0", "netns", podNs);
      sh("ip", "-n", hostNs, "link", "set", "veth" + suffix, "master", "br0", "up");
      sh("ip", "-n", podNs, "addr", "add", POD_IP + "/24", "dev", "eth0");
      sh("ip", "-n", podNs, "link", "set", "eth0", "up");
      sh("ip", "-n", podNs, "link", "set", "lo", "up");
      sh("ip", "-n", podNs, "route", "add", "default", "via", GATEWAY);
    } catch (IOException | InterruptedException | AssertionError e) {
      close();
      throw e;
    }
  }

  Path podNetns() {
    return Path.of("/var/run/netns", podNs);
  }

  /** The pod's eth0 MAC. */
  String podMac() throws IOException, InterruptedException {
    String out = sh("ip", "-n", podNs, "-o", "link", "show", "eth0");
    return out.replaceAll("(?s).*link/ether ([0-9a-f:]{17}).*", "$1");
  }

  @Override
  public void close() {
    for (String ns : List.of(podNs, hostNs)) {
      try {
        run("ip", "netns", "del", ns);
      } catch (IOException | InterruptedException e) {
        // best effort; the next line of defence is the unique name
      }
    }
  }

  /** Runs a command, requiring success; returns stdout. */
  static String sh(String... command) throws IOException, InterruptedException {
    Result r = run(command);
    assertThat(r.exit()).as("%s: %s", String.join(" ", command), r.out()).isZero();
    return r.out();
  }

  record Result(int exit, String out) {}

  static Result run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + " hung");
    }
    return new Result(p.exitValue(), out);
  }
}
