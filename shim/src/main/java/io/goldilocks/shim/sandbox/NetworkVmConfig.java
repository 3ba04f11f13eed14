package io.goldilocks.shim.sandbox;

import io.goldilocks.hypervisor.TapInterface;
import io.goldilocks.hypervisor.VmConfig;
import io.goldilocks.spi.network.TapDevice;
import java.util.List;

/** The hypervisor half of a network plan: one virtio-net device per tap, QEMU in the taps' namespace. Stateless. */
final class NetworkVmConfig {
  private NetworkVmConfig() {}

  static VmConfig.Builder addTo(VmConfig.Builder builder, SandboxNetwork.Attachment net) {
    List<TapDevice> taps = net.plan().taps();
    for (int i = 0; i < taps.size(); i++) {
      builder.tap(new TapInterface("net" + i, taps.get(i).name(), taps.get(i).mac()));
    }
    net.netns().ifPresent(builder::netns);
    return builder;
  }
}
