package io.goldilocks.hypervisor.qemu;

import java.util.List;

/** One part of QEMU's command line (a device with its backend); renders its own arguments. Immutable. */
public interface QemuDevice {
  List<String> args();
}
