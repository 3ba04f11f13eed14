package io.goldilocks.bundles.gpu;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether the host can pass PCI devices through with VFIO: IOMMU groups exist and the {@code vfio-pci} driver is
 * there. Immutable.
 */
record VfioStatus(Path sysfsRoot, boolean iommuGroups, boolean vfioPciDriver) {
  /** The one sentence telling an operator why passthrough is impossible; empty when it is possible. */
  Optional<String> unavailableReason() {
    if (iommuGroups && vfioPciDriver) {
      return Optional.empty();
    }
    String iommu = "there are no IOMMU groups under " + sysfsRoot.resolve("kernel/iommu_groups")
        + " (enable the IOMMU in firmware and with intel_iommu=on or amd_iommu=on)";
    String driver = "the vfio-pci driver is not loaded (modprobe vfio-pci)";
    String why = !iommuGroups && !vfioPciDriver ? iommu + " and " + driver : !iommuGroups ? iommu : driver;
    return Optional.of("GPU passthrough is not available on this host: " + why + ".");
  }
}
