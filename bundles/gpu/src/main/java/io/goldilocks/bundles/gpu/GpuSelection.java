package io.goldilocks.bundles.gpu;

import io.goldilocks.spi.PluginException;
import io.goldilocks.spi.device.CdiDevice;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Maps CDI GPU names to the host's GPUs: kind {@code <vendor-domain>/gpu} selects the vendor's display controllers in
 * PCI address order; the name is an index ({@code nvidia.com/gpu=0}), {@code all}, or a PCI address
 * ({@code nvidia.com/gpu=0000:65:00.0}). Stateless.
 */
final class GpuSelection {
  /** CDI vendor domains this plugin knows, with their PCI vendor ids. */
  static final Map<String, Integer> VENDORS = Map.of("nvidia.com", 0x10de, "amd.com", 0x1002, "intel.com", 0x8086);

  private GpuSelection() {}

  /** The vendor id of a GPU kind ({@code nvidia.com/gpu}); empty for other kinds. */
  static Optional<Integer> vendorOf(CdiDevice device) {
    String[] parts = device.kind().split("/", 2);
    if (parts.length != 2 || !parts[1].equals("gpu")) {
      return Optional.empty();
    }
    return Optional.ofNullable(VENDORS.get(parts[0]));
  }

  /** The GPUs the requests name, in request order without duplicates. */
  static List<PciDevice> select(List<CdiDevice> requests, List<PciDevice> devices) throws PluginException {
    Set<PciDevice> chosen = new LinkedHashSet<>();
    for (CdiDevice request : requests) {
      Optional<Integer> vendor = vendorOf(request);
      if (vendor.isEmpty()) {
        continue;
      }
      List<PciDevice> gpus = devices.stream().filter(d -> d.isGpu() && d.vendor() == vendor.get()).toList();
      chosen.addAll(match(request, gpus));
    }
    return new ArrayList<>(chosen);
  }

  private static List<PciDevice> match(CdiDevice request, List<PciDevice> gpus) throws PluginException {
    String name = request.name();
    if (name.equals("all")) {
      if (gpus.isEmpty()) {
        throw missing(request, gpus);
      }
      return gpus;
    }
    if (name.matches("\\d+")) {
      int index = Integer.parseInt(name);
      if (index >= gpus.size()) {
        throw missing(request, gpus);
      }
      return List.of(gpus.get(index));
    }
    return List.of(gpus.stream().filter(g -> g.address().equals(name)).findFirst()
        .orElseThrow(() -> missing(request, gpus)));
  }

  private static PluginException missing(CdiDevice request, List<PciDevice> gpus) {
    return new PluginException(PluginException.Reason.FAILED_PRECONDITION, "CDI device " + request
        + " names no GPU of this host; its " + request.kind() + " GPUs are " + (gpus.isEmpty() ? "none" : gpus));
  }
}
