package io.goldilocks.bundles.gpu;

import io.goldilocks.spi.PluginException;
import io.goldilocks.spi.device.DevicePlan;
import io.goldilocks.spi.device.DevicePlugin;
import io.goldilocks.spi.device.DeviceRequest;
import io.goldilocks.spi.device.HostDevice;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GPU passthrough with VFIO for CDI requests ({@code cdi.k8s.io/<key>: nvidia.com/gpu=0}): finds the GPUs in sysfs,
 * checks that the host can pass them through, and plans every function of each GPU's IOMMU group as a
 * {@link HostDevice.VfioPci} (QEMU {@code -device vfio-pci,host=<address>}), plus the device nodes the guest driver
 * creates. The sysfs root is {@code /sys}, or the framework property {@value #SYSFS_ROOT_PROPERTY}. Thread-safe
 * (reads sysfs on every call, keeps no state).
 */
@Component(service = DevicePlugin.class, property = "service.ranking:Integer=0")
public final class GpuDevicePlugin implements DevicePlugin {
  static final String SYSFS_ROOT_PROPERTY = "goldilocks.gpu.sysfs.root";
  private static final Logger LOG = LoggerFactory.getLogger(GpuDevicePlugin.class);
  private static final int NVIDIA = 0x10de;

  private volatile SysfsPci sysfs = new SysfsPci(Path.of("/sys"));

  /** For Declarative Services. */
  public GpuDevicePlugin() {}

  GpuDevicePlugin(Path sysfsRoot) {
    this.sysfs = new SysfsPci(sysfsRoot);
  }

  @Activate
  void activate(BundleContext context) {
    String root = context.getProperty(SYSFS_ROOT_PROPERTY);
    if (root != null) {
      sysfs = new SysfsPci(Path.of(root));
    }
    try {
      sysfs.vfio().unavailableReason().ifPresent(LOG::info);
    } catch (IOException e) {
      LOG.warn("cannot read {}", sysfs.root(), e);
    }
  }

  @Override
  public String name() {
    return "gpu";
  }

  @Override
  public boolean supports(DeviceRequest request) {
    return request.cdiDevices().stream().anyMatch(d -> GpuSelection.vendorOf(d).isPresent());
  }

  @Override
  public DevicePlan plan(DeviceRequest request) throws PluginException {
    if (!supports(request)) {
      throw new PluginException(PluginException.Reason.UNSUPPORTED, "no GPU requested: " + request.cdiDevices());
    }
    try {
      String unavailable = sysfs.vfio().unavailableReason().orElse(null);
      if (unavailable != null) {
        throw new PluginException(PluginException.Reason.FAILED_PRECONDITION, unavailable);
      }
      List<PciDevice> devices = sysfs.devices();
      List<PciDevice> gpus = GpuSelection.select(request.cdiDevices(), devices);
      DevicePlan plan = new DevicePlan(passthrough(gpus, devices), guestNodes(gpus), env(gpus));
      LOG.info("container {}: passing through {}", request.containerId(), plan.hostDevices());
      return plan;
    } catch (IOException e) {
      throw new PluginException(PluginException.Reason.INTERNAL, "cannot read PCI devices under " + sysfs.root(), e);
    }
  }

  /** Every non-bridge function of each GPU's IOMMU group, all of which must be bound to vfio-pci. */
  private static List<HostDevice> passthrough(List<PciDevice> gpus, List<PciDevice> devices) throws PluginException {
    Set<HostDevice> planned = new LinkedHashSet<>();
    for (PciDevice gpu : gpus) {
      String group = gpu.iommuGroup().orElseThrow(() -> new PluginException(
          PluginException.Reason.FAILED_PRECONDITION, "GPU " + gpu + " is in no IOMMU group"));
      for (PciDevice member : devices) {
        if (!member.iommuGroup().equals(gpu.iommuGroup()) || member.isBridge()) {
          continue;
        }
        if (!member.boundToVfio()) {
          throw new PluginException(PluginException.Reason.FAILED_PRECONDITION, "PCI function " + member
              + " (IOMMU group " + group + " of GPU " + gpu.address() + ") is bound to "
              + member.driver().orElse("no driver") + ", not vfio-pci; bind it first, e.g. driverctl set-override "
              + member.address() + " vfio-pci");
        }
        planned.add(new HostDevice.VfioPci(member.address(), group));
      }
    }
    return new ArrayList<>(planned);
  }

  /** The nodes the guest's driver creates for the GPUs, in guest order. */
  private static List<String> guestNodes(List<PciDevice> gpus) {
    List<String> nodes = new ArrayList<>();
    boolean nvidia = false;
    for (int i = 0; i < gpus.size(); i++) {
      if (gpus.get(i).vendor() == NVIDIA) {
        nodes.add("/dev/nvidia" + i);
        nvidia = true;
      } else {
        nodes.add("/dev/dri/card" + i);
        nodes.add("/dev/dri/renderD" + (128 + i));
      }
    }
    if (nvidia) {
      nodes.addAll(List.of("/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools"));
    }
    return nodes;
  }

  private static Map<String, String> env(List<PciDevice> gpus) {
    // the guest sees only the passed-through GPUs, so "all" of them are the container's
    return gpus.stream().anyMatch(g -> g.vendor() == NVIDIA) ? Map.of("NVIDIA_VISIBLE_DEVICES", "all") : Map.of();
  }
}
