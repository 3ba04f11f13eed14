package io.goldilocks.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A pod network made the way the CNI bridge plugin makes it, off the host's own network (needs root and iproute2): a
 * "node" namespace with bridge {@code br0} (10.250.0.1/24) standing in for the host side, and a pod namespace whose
 * {@code eth0} is the peer of a veth on that bridge, with 10.250.0.2/24 and a default route via the bridge.
 * {@link #close()} deletes both namespaces and everything in them. (Ported from network-tcfilter's CniBridgeFixture
 * for the tests that run a VM on it.)
 */
public final class PodNetwork implements AutoCloseable {
  public static final String POD_IP = "10.250.0.2";
  public static final String GATEWAY = "10.250.0.1";

  private final String nodeNs;
  private final String podNs;

  private PodNetwork(String nodeNs, String podNs) {
    this.nodeNs = nodeNs;
    this.podNs = podNs;
  }

  /** Creates both namespaces; on failure removes what was made. */
  public static PodNetwork create() throws IOException, InterruptedException {
    String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
    PodNetwork net = new PodNetwork("gl-node-" + suffix, "gl-pod-" + suffix);
    try {
      sh("ip", "netns", "add", net.nodeNs);
      sh("ip", "netns", "add", net.podNs);
      sh("ip", "-n", net.nodeNs, "link", "add", "br0", "type", "bridge");
      sh("ip", "-n", net.nodeNs, "addr", "add", GATEWAY + "/24", "dev", "br0");
      sh("ip", "-n", net.nodeNs, "link", "set", "br0", "up");
      sh("ip", "-n", net.nodeNs, "link", "add", "veth" + suffix, "type", "veth", "peer", "name", "eth0", "netns",
          net.podNs);
      sh("ip", "-n", net.nodeNs, "link", "set", "veth" + suffix, "master", "br0", "up");
      sh("ip", "-n", net.podNs, "addr", "add", POD_IP + "/24", "dev", "eth0");
      sh("ip", "-n", net.podNs, "link", "set", "eth0", "up");
      sh("ip", "-n", net.podNs, "link", "set", "lo", "up");
      sh("ip", "-n", net.podNs, "route", "add", "default", "via", GATEWAY);
    } catch (IOException | InterruptedException | RuntimeException e) {
      net.close();
      throw e;
    }
    return net;
  }

  /** The pod's network namespace, as CNI leaves it for the runtime. */
  public Path podNetns() {
    return Path.of("/var/run/netns", podNs);
  }

  /**
   * An HTTP GET of the pod IP from the node side of the bridge, with curl (busybox-static's wget crashes on this
   * host): exit code 0 and the body when it answered.
   */
  public Result httpGetPod(int port) throws IOException, InterruptedException {
    return run("ip", "netns", "exec", nodeNs, "curl", "-sf", "--max-time", "3", "http://" + POD_IP + ":" + port + "/");
  }

  /** The pod namespace's links ({@code ip -o link}). */
  public String podLinks() throws IOException, InterruptedException {
    return sh("ip", "-n", podNs, "-o", "link", "show");
  }

  /** The tc filters on the pod's eth0 ingress. */
  public String podIngressFilters() throws IOException, InterruptedException {
    return run("ip", "netns", "exec", podNs, "tc", "filter", "show", "dev", "eth0", "ingress").out();
  }

  public boolean exists() {
    return Files.exists(podNetns()) || Files.exists(Path.of("/var/run/netns", nodeNs));
  }

  @Override
  public void close() {
    for (String ns : List.of(podNs, nodeNs)) {
      try {
        run("ip", "netns", "del", ns);
      } catch (IOException | InterruptedException e) {
        // best effort; the unique name keeps the next run apart
      }
    }
  }

  /** A finished command. */
  public record Result(int exit, String out) {}

  private static String sh(String... command) throws IOException, InterruptedException {
    Result r = run(command);
    if (r.exit() != 0) {
      throw new IOException(String.join(" ", command) + " failed (exit " + r.exit() + "): " + r.out());
    }
    return r.out();
  }

  private static Result run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + " hung");
    }
    return new Result(p.exitValue(), out);
  }
}
