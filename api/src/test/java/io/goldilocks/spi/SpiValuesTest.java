package io.goldilocks.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldilocks.spi.device.CdiDevice;
import io.goldilocks.spi.device.HostDevice;
import io.goldilocks.spi.network.IpAddress;
import io.goldilocks.spi.network.TapDevice;
import io.goldilocks.spi.storage.VmStorage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpiValuesTest {
  @Test
  void cdiRequestsComeFromCdiAnnotationsOnly() {
    Map<String, String> annotations = Map.of(
        "cdi.k8s.io/gpu", "nvidia.com/gpu=0, nvidia.com/gpu=1",
        "cdi.k8s.io/nic", "example.com/nic=eth1",
        "io.kubernetes.cri.container-type", "container");

    assertThat(CdiDevice.fromAnnotations(annotations)).containsExactly(
        new CdiDevice("nvidia.com/gpu", "0"), new CdiDevice("nvidia.com/gpu", "1"),
        new CdiDevice("example.com/nic", "eth1"));
  }

  @Test
  void malformedCdiNameIsRejectedWithTheName() {
    assertThatThrownBy(() -> CdiDevice.fromAnnotations(Map.of("cdi.k8s.io/x", "nvidia.com/gpu")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nvidia.com/gpu");
  }

  @Test
  void ipAddressParsesCidrAndBoundsThePrefix() {
    assertThat(IpAddress.parse("10.88.0.5/16")).isEqualTo(new IpAddress("10.88.0.5", 16));
    assertThat(IpAddress.parse("fd00::5/64").isIpv6()).isTrue();
    assertThatThrownBy(() -> IpAddress.parse("10.0.0.1/33")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IpAddress.parse("10.0.0.1")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void valuesRejectWhatTheHypervisorCouldNotUse() {
    assertThatThrownBy(() -> new TapDevice("a-name-longer-than-15", "02:00:00:00:00:01", 1500, Path.of("/n")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TapDevice("tap0", "02:00:00:00:00", 1500, Path.of("/n")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HostDevice.VfioPci("65:00.0", "12")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new VmStorage.VirtioFsShare("", Path.of("/s")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void mountKnowsBindAndReadOnly() {
    Mount bind = Mount.bind("/host/data", "/data", true);
    assertThat(bind.isBind()).isTrue();
    assertThat(bind.isReadOnly()).isTrue();
    assertThat(new Mount("overlay", "overlay", "", List.of("lowerdir=/a")).isBind()).isFalse();
  }
}
