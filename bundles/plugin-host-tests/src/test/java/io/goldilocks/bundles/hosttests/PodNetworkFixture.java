package io.goldilocks.bundles.hosttests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A pod network made the way the CNI bridge plugin makes it (ported from network-tcfilter's CniBridgeFixture), off
 * the host's own network: a "node" namespace with bridge {@code br0} (10.250.0.1/24) standing in for the host side,
 * and a pod namespace whose {@code eth0} is the peer of a veth on that bridge, with 10.250.0.2/24 and a default route
 * via the bridge. {@link #close()} deletes both namespaces and everything in them.
 */
final class PodNetworkFixture implements AutoCloseable {
  static final String POD_IP = "10.250.0.2";
  static final String GATEWAY = "10.250.0.1";

  final String nodeNs;
  final String podNs;

  PodNetworkFixture() throws IOException, InterruptedException {
    String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
    nodeNs = "gl-node-" + suffix;
    podNs = "gl-pod-" + suffix;
    try {
      sh("ip", "netns", "add", nodeNs);
      sh("ip", "netns", "add", podNs);
      sh("ip", "-n", nodeNs, "link", "add", "br0", "type", "bridge");
      sh("ip", "-n", nodeNs, "addr", "add", GATEWAY + "/24", "dev", "br0");
      sh("ip", "-n", nodeNs, "link", "set", "br0", "up");
      sh("ip", "-n", nodeNs, "link", "add", "veth" + suffix, "type", "veth", "peer", "name", "eth0", "netns", podNs);
      sh("ip", "-n", nodeNs, "link", "set", "veth" + suffix, "master", "br0", "up");
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

  /** An HTTP GET of the pod IP from the node side of the bridge (curl: busybox-static's wget crashes here). */
  Sh.Result httpGetPod(int port) throws IOException, InterruptedException {
    return Sh.run("ip", "netns", "exec", nodeNs, "curl", "-sf", "--max-time", "3",
        "http://" + POD_IP + ":" + port + "/");
  }

  /** The pod namespace's links ({@code ip -o link}). */
  String podLinks() throws IOException, InterruptedException {
    return sh("ip", "-n", podNs, "-o", "link", "show");
  }

  /** The tc filters on the pod's eth0 ingress. */
  String podIngressFilters() throws IOException, InterruptedException {
    return Sh.run("ip", "netns", "exec", podNs, "tc", "filter", "show", "dev", "eth0", "ingress").out();
  }

  boolean exists() {
    return Files.exists(podNetns()) || Files.exists(Path.of("/var/run/netns", nodeNs));
  }

  @Override
  public void close() {
    for (String ns : List.of(podNs, nodeNs)) {
      try {
        Sh.run("ip", "netns", "del", ns);
      } catch (IOException | InterruptedException e) {
        // best effort; the unique name keeps the next run apart
      }
    }
  }

  private static String sh(String... command) throws IOException, InterruptedException {
    Sh.Result r = Sh.run(command);
    assertThat(r.exit()).as("%s: %s", String.join(" ", command), r.out()).isZero();
    return r.out();
  }

  /** Short host commands with a time limit. */
  static final class Sh {
    record Result(int exit, String out) {}

    static Result run(String... command) throws IOException, InterruptedException {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " hung");
      }
      return new Result(p.exitValue(), out);
    }
  }
}
