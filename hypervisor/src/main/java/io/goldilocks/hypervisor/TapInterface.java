package io.goldilocks.hypervisor;

import java.util.regex.Pattern;

/** A host tap device (created by the networking plugin) attached as a virtio-net device with the given MAC. */
public record TapInterface(String id, String tapName, String mac) {
  private static final Pattern MAC = Pattern.compile("([0-9a-f]{2}:){5}[0-9a-f]{2}");
  private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

  public TapInterface {
    VmConfig.requireToken(id, "network device id");
    if (tapName == null || !IFNAME.matcher(tapName).matches()) {
      throw new IllegalArgumentException("tap name must be 1-15 of [A-Za-z0-9_.-]: " + tapName);
    }
    if (mac == null || !MAC.matcher(mac).matches()) {
      throw new IllegalArgumentException("MAC must be lower-case aa:bb:cc:dd:ee:ff: " + mac);
    }
  }
}
