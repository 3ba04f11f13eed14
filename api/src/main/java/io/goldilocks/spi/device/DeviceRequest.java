package io.goldilocks.spi.device;

import io.goldilocks.spi.SandboxContext;
import java.util.List;
import java.util.Objects;

/**
 * A container's device requests.
 *
 * @param sandbox the sandbox (VM) the container runs in
 * @param containerId the container's id
 * @param linuxDevices the OCI spec's {@code linux.devices}
 * @param cdiDevices CDI devices requested by the container's {@code cdi.k8s.io/*} annotations
 *     ({@link CdiDevice#fromAnnotations})
 */
public record DeviceRequest(
    SandboxContext sandbox, String containerId, List<LinuxDevice> linuxDevices, List<CdiDevice> cdiDevices) {
  public DeviceRequest {
    Objects.requireNonNull(sandbox, "sandbox");
    Objects.requireNonNull(containerId, "containerId");
    linuxDevices = List.copyOf(linuxDevices);
    cdiDevices = List.copyOf(cdiDevices);
  }

  public boolean isEmpty() {
    return linuxDevices.isEmpty() && cdiDevices.isEmpty();
  }
}
