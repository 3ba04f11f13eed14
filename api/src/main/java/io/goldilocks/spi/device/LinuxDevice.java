package io.goldilocks.spi.device;

import java.util.Objects;

/**
 * One entry of the OCI spec's {@code linux.devices}: a device node the container wants.
 *
 * @param path the node's path in the container, e.g. {@code /dev/nvidia0}
 * @param type {@code c} (character), {@code b} (block), {@code u} (unbuffered) or {@code p} (FIFO)
 * @param major the host major number
 * @param minor the host minor number
 */
public record LinuxDevice(String path, String type, long major, long minor) {
  public LinuxDevice {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(type, "type");
    if (!type.matches("[cbup]")) {
      throw new IllegalArgumentException("device type must be c, b, u or p: '" + type + "'");
    }
  }
}
