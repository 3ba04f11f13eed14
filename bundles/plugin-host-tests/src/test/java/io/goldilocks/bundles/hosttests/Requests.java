package io.goldilocks.bundles.hosttests;

import io.goldilocks.spi.Mount;
import io.goldilocks.spi.SandboxContext;
import io.goldilocks.spi.device.CdiDevice;
import io.goldilocks.spi.device.DeviceRequest;
import io.goldilocks.spi.network.NetworkRequest;
import io.goldilocks.spi.storage.StorageRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Requests as the shim makes them for one sandbox {@code sb1}. */
final class Requests {
  static final SandboxContext SANDBOX = new SandboxContext("sb1", Path.of("/run/goldilocks/sandbox/sb1"), Map.of());

  private Requests() {}

  static StorageRequest storage(String containerId) {
    return new StorageRequest(SANDBOX, containerId, Path.of("/run/containerd/task/" + containerId),
        List.of(new Mount("overlay", "overlay", "", List.of("lowerdir=/l", "upperdir=/u", "workdir=/w"))), List.of());
  }

  static NetworkRequest loopbackNetwork() {
    return new NetworkRequest(SANDBOX, Optional.empty());
  }

  static DeviceRequest cdi(String containerId, String qualifiedName) {
    return new DeviceRequest(SANDBOX, containerId, List.of(), List.of(CdiDevice.parse(qualifiedName)));
  }
}
