package io.goldilocks.spi.device;

import java.util.Objects;

/**
 * A host device the hypervisor gives the VM, described as a value. A closed set: a new kind needs a new SPI minor
 * version and hypervisor support.
 */
public sealed interface HostDevice {
  /**
   * A PCI function passed through with VFIO (QEMU {@code -device vfio-pci,host=<pciAddress>}). The whole IOMMU group
   * must be bound to {@code vfio-pci} before the VM starts.
   *
   * @param pciAddress the function's address {@code dddd:bb:dd.f}, e.g. {@code 0000:65:00.0}
   * @param iommuGroup the IOMMU group number ({@code /dev/vfio/<group>})
   */
  record VfioPci(String pciAddress, String iommuGroup) implements HostDevice {
    public VfioPci {
      Objects.requireNonNull(pciAddress, "pciAddress");
      Objects.requireNonNull(iommuGroup, "iommuGroup");
      if (!pciAddress.matches("[0-9a-f]{4}:[0-9a-f]{2}:[0-1][0-9a-f]\\.[0-7]")) {
        throw new IllegalArgumentException("PCI address must be dddd:bb:dd.f: '" + pciAddress + "'");
      }
    }
  }
}
