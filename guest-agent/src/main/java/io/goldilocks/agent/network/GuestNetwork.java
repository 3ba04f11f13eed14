package io.goldilocks.agent.network;

import io.goldilocks.agent.process.CommandRunner;
import io.goldilocks.ttrpc.TtrpcException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Configures the guest's NICs and routes with busybox {@code ip}: each NIC is found by the MAC the host gave it (the
 * virtio-net device shows up as {@code eth<n>} in probe order, so names cannot be trusted), renamed, given its MTU
 * and addresses and brought up; routes follow. Thread-safe: one configuration at a time (synchronized).
 */
public final class GuestNetwork {
  /** A NIC to configure. Immutable; checked by the RPC adapter. */
  public record Nic(String mac, String name, List<String> addresses, int mtu) {}

  /** A route; empty gateway = link route, empty device = the kernel chooses. */
  public record RouteSpec(String destination, String gateway, String device) {}

  private static final Logger log = Logger.getLogger(GuestNetwork.class.getName());
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
  /** virtio_net probes asynchronously after modprobe; the NIC appears within milliseconds, we allow seconds. */
  private static final Duration NIC_WAIT = Duration.ofSeconds(5);

  private final CommandRunner commands;
  private final Path sysClassNet;

  public GuestNetwork(CommandRunner commands, Path sysClassNet) {
    this.commands = commands;
    this.sysClassNet = sysClassNet;
  }

  /** Applies the configuration; the first failing step raises INTERNAL (or NOT_FOUND for a missing NIC). */
  public synchronized void configure(List<Nic> nics, List<RouteSpec> routes) throws TtrpcException {
    if (!nics.isEmpty()) {
      // Built into some kernels, a module in ours ("available" in packaging/guest/modules.conf): load on demand.
      commands.run(List.of("modprobe", "virtio_net"), null, COMMAND_TIMEOUT);
    }
    for (Nic nic : nics) {
      String current = awaitNic(nic.mac());
      for (List<String> step : nicCommands(current, nic)) {
        commands.runChecked(step, null, COMMAND_TIMEOUT);
      }
      log.info("network: " + nic.name() + " (" + nic.mac() + ") up with " + nic.addresses() + " mtu " + nic.mtu());
    }
    for (RouteSpec route : routes) {
      commands.runChecked(routeCommand(route), null, COMMAND_TIMEOUT);
    }
  }

  /** The {@code ip} steps for one NIC, currently named {@code current}. */
  static List<List<String>> nicCommands(String current, Nic nic) {
    List<List<String>> steps = new ArrayList<>();
    if (!current.equals(nic.name())) {
      steps.add(List.of("ip", "link", "set", "dev", current, "down"));
      steps.add(List.of("ip", "link", "set", "dev", current, "name", nic.name()));
    }
    if (nic.mtu() > 0) {
      steps.add(List.of("ip", "link", "set", "dev", nic.name(), "mtu", Integer.toString(nic.mtu())));
    }
    steps.add(List.of("ip", "link", "set", "dev", nic.name(), "up"));
    for (String cidr : nic.addresses()) {
      steps.add(List.of("ip", "addr", "add", cidr, "dev", nic.name()));
    }
    return steps;
  }

  static List<String> routeCommand(RouteSpec route) {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    boolean v6 = route.destination().contains(":") || route.gateway().contains(":");
    if (v6) {
      cmd.add("-6");
    }
    cmd.addAll(List.of("route", "add", route.destination()));
    if (!route.gateway().isEmpty()) {
      cmd.addAll(List.of("via", route.gateway()));
    }
    if (!route.device().isEmpty()) {
      cmd.addAll(List.of("dev", route.device()));
    }
    return cmd;
  }

  private String awaitNic(String mac) throws TtrpcException {
    Instant deadline = Instant.now().plus(NIC_WAIT);
    while (true) {
      Optional<String> name = nicWithMac(mac);
      if (name.isPresent()) {
        return name.get();
      }
      if (Instant.now().isAfter(deadline)) {
        throw TtrpcException.notFound("no network interface with MAC %s in the guest after %s", mac, NIC_WAIT);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw TtrpcException.cancelled("interrupted waiting for the NIC %s", mac);
      }
    }
  }

  /** The interface whose {@code address} file holds {@code mac}. */
  Optional<String> nicWithMac(String mac) {
    try (Stream<Path> dirs = Files.list(sysClassNet)) {
      return dirs.filter(dir -> mac.equalsIgnoreCase(readAddress(dir))).map(dir -> dir.getFileName().toString())
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String readAddress(Path dir) {
    try {
      return Files.readString(dir.resolve("address")).strip();
    } catch (IOException e) {
      return "";
    }
  }
}
