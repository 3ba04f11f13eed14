package io.goldilocks.bundles.gpu;

import java.util.Optional;

/**
 * A PCI function as sysfs describes it ({@code /sys/bus/pci/devices/<address>}). Immutable.
 *
 * @param address {@code dddd:bb:dd.f}
 * @param classCode the 24-bit class code ({@code class} file), e.g. {@code 0x030000} for a VGA controller
 * @param vendor the vendor id, e.g. {@code 0x10de} (NVIDIA)
 * @param device the device id
 * @param iommuGroup the IOMMU group (the {@code iommu_group} link's name); empty without an IOMMU
 * @param driver the bound driver (the {@code driver} link's name); empty when unbound
 */
record PciDevice(String address, int classCode, int vendor, int device, Optional<String> iommuGroup,
    Optional<String> driver) {
  static final String VFIO_DRIVER = "vfio-pci";

  /** Display controllers: PCI base class 0x03 (VGA, XGA, 3D). */
  boolean isGpu() {
    return (classCode >> 16) == 0x03;
  }

  /** PCI-to-PCI bridges stay with the host: VFIO does not pass them through. */
  boolean isBridge() {
    return (classCode >> 8) == 0x0604;
  }

  boolean boundToVfio() {
    return driver.filter(VFIO_DRIVER::equals).isPresent();
  }

  @Override
  public String toString() {
    return address + String.format(" [%04x:%04x class %06x]", vendor, device, classCode);
  }
}
