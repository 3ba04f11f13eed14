package io.goldilocks.spi.device;

import java.util.List;
import java.util.Map;

/**
 * The devices a container needs.
 *
 * @param hostDevices devices the VM gets (passed through)
 * @param guestDevicePaths device nodes (paths in the guest) the container gets; the guest agent reads their type and
 *     numbers in the guest, where the guest's drivers created them
 * @param containerEnv environment variables added to the container's process (e.g. {@code NVIDIA_VISIBLE_DEVICES})
 */
public record DevicePlan(
    List<HostDevice> hostDevices, List<String> guestDevicePaths, Map<String, String> containerEnv) {
  public DevicePlan {
    hostDevices = List.copyOf(hostDevices);
    guestDevicePaths = List.copyOf(guestDevicePaths);
    containerEnv = Map.copyOf(containerEnv);
  }

  /** No devices. */
  public static DevicePlan none() {
    return new DevicePlan(List.of(), List.of(), Map.of());
  }
}
