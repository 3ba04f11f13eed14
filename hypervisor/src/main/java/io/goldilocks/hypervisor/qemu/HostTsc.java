package io.goldilocks.hypervisor.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The host's TSC rate for the guest's {@code tsc_early_khz=}: microvm has no HPET/PM timer, and under TCG the
 * guest's PIT calibration often hangs forever; with the host's rate the guest clock also runs true.
 * Thread-safe (stateless).
 */
public final class HostTsc {
  private HostTsc() {}

  /** kHz from the first {@code cpu MHz} line of {@code cpuinfo} text. */
  public static OptionalLong khzFromCpuinfo(String cpuinfo) {
    for (String line : cpuinfo.split("\n")) {
      if (line.startsWith("cpu MHz")) {
        int colon = line.indexOf(':');
        try {
          double mhz = Double.parseDouble(line.substring(colon + 1).trim());
          return mhz > 0 ? OptionalLong.of(Math.round(mhz * 1000)) : OptionalLong.empty();
        } catch (NumberFormatException e) {
          return OptionalLong.empty();
        }
      }
    }
    return OptionalLong.empty();
  }

  /** This host's TSC kHz, if /proc/cpuinfo says. */
  public static OptionalLong khz() {
    try {
      return khzFromCpuinfo(Files.readString(Path.of("/proc/cpuinfo")));
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }
}
