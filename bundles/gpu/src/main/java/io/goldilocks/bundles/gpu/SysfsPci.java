package io.goldilocks.bundles.gpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads PCI functions, IOMMU groups and the VFIO driver from a sysfs tree ({@code /sys}, or a fixture tree in tests).
 * Every read is fresh (devices are re-bound between containers). Stateless apart from the root; thread-safe.
 */
final class SysfsPci {
  private static final int MAX_ATTRIBUTE_BYTES = 64;

  private final Path root;

  SysfsPci(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  /** Every PCI function, sorted by address. */
  List<PciDevice> devices() throws IOException {
    Path dir = root.resolve("bus/pci/devices");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<PciDevice> devices = new ArrayList<>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path device : entries.sorted().toList()) {
        devices.add(read(device));
      }
    }
    return devices;
  }

  /** What the host offers for VFIO passthrough. */
  VfioStatus vfio() throws IOException {
    Path groups = root.resolve("kernel/iommu_groups");
    boolean iommu = false;
    if (Files.isDirectory(groups)) {
      try (Stream<Path> entries = Files.list(groups)) {
        iommu = entries.findAny().isPresent();
      }
    }
    boolean vfioPci = Files.isDirectory(root.resolve("bus/pci/drivers/vfio-pci"))
        || Files.isDirectory(root.resolve("module/vfio_pci"));
    return new VfioStatus(root, iommu, vfioPci);
  }

  private static PciDevice read(Path device) throws IOException {
    return new PciDevice(device.getFileName().toString(), hex(device.resolve("class")), hex(device.resolve("vendor")),
        hex(device.resolve("device")), linkName(device.resolve("iommu_group")), linkName(device.resolve("driver")));
  }

  private static int hex(Path attribute) throws IOException {
    byte[] bytes = Files.readAllBytes(attribute);
    if (bytes.length > MAX_ATTRIBUTE_BYTES) {
      throw new IOException(attribute + " is not a sysfs attribute (" + bytes.length + " bytes)");
    }
    String text = new String(bytes, java.nio.charset.StandardCharsets.US_ASCII).strip();
    try {
      return Integer.parseInt(text.startsWith("0x") ? text.substring(2) : text, 16);
    } catch (NumberFormatException e) {
      throw new IOException(attribute + " holds '" + text + "', not a hex number", e);
    }
  }

  private static Optional<String> linkName(Path link) throws IOException {
    if (!Files.isSymbolicLink(link)) {
      return Optional.empty();
    }
    return Optional.of(Files.readSymbolicLink(link).getFileName().toString());
  }
}
