package io.goldilocks.bundles.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldilocks.spi.PluginException;
import io.goldilocks.spi.SandboxContext;
import io.goldilocks.spi.device.CdiDevice;
import io.goldilocks.spi.device.DevicePlan;
import io.goldilocks.spi.device.DeviceRequest;
import io.goldilocks.spi.device.HostDevice.VfioPci;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The plugin on sysfs fixture trees (src/test/resources/fixtures, read in place so the symlinks stay links). */
class GpuDevicePluginTest {
  private static final Path FIXTURES = Path.of("src/test/resources/fixtures");
  private final GpuDevicePlugin withVfio = new GpuDevicePlugin(FIXTURES.resolve("sysfs-nvidia-vfio"));
  private final GpuDevicePlugin withoutIommu = new GpuDevicePlugin(FIXTURES.resolve("sysfs-no-iommu"));

  @Test
  void gpuZeroPassesThroughItsWholeIommuGroupButTheBridge() throws Exception {
    DevicePlan plan = withVfio.plan(request("nvidia.com/gpu=0"));

    assertThat(plan.hostDevices()).containsExactly(new VfioPci("0000:65:00.0", "45"), new VfioPci("0000:65:00.1", "45"));
    assertThat(plan.guestDevicePaths()).containsExactly("/dev/nvidia0", "/dev/nvidiactl", "/dev/nvidia-uvm",
        "/dev/nvidia-uvm-tools");
    assertThat(plan.containerEnv()).containsEntry("NVIDIA_VISIBLE_DEVICES", "all");
  }

  @Test
  void gpuByPciAddressIsTheSameGpu() throws Exception {
    assertThat(withVfio.plan(request("nvidia.com/gpu=0000:65:00.0")).hostDevices())
        .isEqualTo(withVfio.plan(request("nvidia.com/gpu=0")).hostDevices());
  }

  @Test
  void gpuStillBoundToTheHostDriverIsRefusedWithTheFix() {
    assertFailedPrecondition(() -> withVfio.plan(request("nvidia.com/gpu=1")),
        "0000:b3:00.0", "bound to nvidia, not vfio-pci", "driverctl set-override 0000:b3:00.0 vfio-pci");
    assertFailedPrecondition(() -> withVfio.plan(request("nvidia.com/gpu=all")), "bound to nvidia");
  }

  @Test
  void gpuThatDoesNotExistIsNamed() {
    assertFailedPrecondition(() -> withVfio.plan(request("nvidia.com/gpu=7")), "nvidia.com/gpu=7",
        "0000:65:00.0", "0000:b3:00.0");
    assertFailedPrecondition(() -> withVfio.plan(request("amd.com/gpu=all")), "amd.com/gpu GPUs are none");
  }

  @Test
  void hostWithoutIommuSaysSoInOneSentence() {
    assertThatThrownBy(() -> withoutIommu.plan(request("nvidia.com/gpu=0")))
        .isInstanceOf(PluginException.class)
        .hasMessage("GPU passthrough is not available on this host: there are no IOMMU groups under "
            + FIXTURES.resolve("sysfs-no-iommu/kernel/iommu_groups")
            + " (enable the IOMMU in firmware and with intel_iommu=on or amd_iommu=on) and the vfio-pci driver is not"
            + " loaded (modprobe vfio-pci).");
  }

  @Test
  void thisHostsRealSysfsAnswersTooWithoutVfioTheSentence() throws Exception {
    GpuDevicePlugin real = new GpuDevicePlugin(Path.of("/sys"));
    if (new SysfsPci(Path.of("/sys")).vfio().unavailableReason().isPresent()) {
      assertFailedPrecondition(() -> real.plan(request("nvidia.com/gpu=0")),
          "GPU passthrough is not available on this host");
    }
    assertThat(new SysfsPci(Path.of("/sys")).devices()).isNotEmpty();
  }

  @Test
  void sysfsIsReadAsTheKernelWritesIt() throws Exception {
    List<PciDevice> devices = new SysfsPci(FIXTURES.resolve("sysfs-nvidia-vfio")).devices();
    assertThat(devices).extracting(PciDevice::address)
        .containsExactly("0000:00:00.0", "0000:02:00.0", "0000:64:00.0", "0000:65:00.0", "0000:65:00.1", "0000:b3:00.0");
    PciDevice gpu = devices.get(3);
    assertThat(gpu.isGpu()).isTrue();
    assertThat(gpu.vendor()).isEqualTo(0x10de);
    assertThat(gpu.iommuGroup()).contains("45");
    assertThat(gpu.driver()).contains("vfio-pci");
    assertThat(devices.get(2).isBridge()).isTrue();
  }

  @Test
  void supportsOnlyKnownGpuKinds() {
    assertThat(withVfio.supports(request("nvidia.com/gpu=0"))).isTrue();
    assertThat(withVfio.supports(request("example.com/hello=world"))).isFalse();
    assertThat(withVfio.supports(request("nvidia.com/mig=0"))).isFalse();
  }

  private static void assertFailedPrecondition(ThrowingCallable call, String... fragments) {
    assertThatThrownBy(call).isInstanceOf(PluginException.class)
        .satisfies(e -> assertThat(((PluginException) e).reason()).isEqualTo(PluginException.Reason.FAILED_PRECONDITION))
        .satisfies(e -> assertThat(e.getMessage()).contains(fragments));
  }

  private static DeviceRequest request(String cdi) {
    return new DeviceRequest(new SandboxContext("sb1", Path.of("/tmp/sb1"), Map.of()), "c1", List.of(),
        List.of(CdiDevice.parse(cdi)));
  }
}
