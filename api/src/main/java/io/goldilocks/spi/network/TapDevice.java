package io.goldilocks.spi.network;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A tap device the VM's NIC is backed by (QEMU {@code -netdev tap,ifname=<name>,script=no,downscript=no} plus a
 * {@code virtio-net} device with {@code mac}). The hypervisor must open the tap inside {@code netns} (start QEMU in
 * that namespace), because the tap lives there.
 *
 * @param name the tap's interface name in {@code netns}, e.g. {@code tap0_gl}
 * @param mac the MAC the guest NIC must have, {@code aa:bb:cc:dd:ee:ff}
 * @param mtu the MTU of the guest NIC
 * @param netns the network namespace holding the tap
 */
public record TapDevice(String name, String mac, int mtu, Path netns) {
  public TapDevice {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(mac, "mac");
    Objects.requireNonNull(netns, "netns");
    if (name.isEmpty() || name.length() > 15) {
      throw new IllegalArgumentException("interface name must be 1..15 bytes: '" + name + "'");
    }
    if (!mac.matches("([0-9a-f]{2}:){5}[0-9a-f]{2}")) {
      throw new IllegalArgumentException("MAC must be lower-case aa:bb:cc:dd:ee:ff: '" + mac + "'");
    }
    if (mtu < 68 || mtu > 65535) {
      throw new IllegalArgumentException("MTU out of range 68..65535: " + mtu);
    }
  }
}
