package io.goldilocks.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QemuNetnsTest {
  @Test
  void qemuRunsUnderNsenterInThePodNamespace() {
    assertThat(QemuCommandLine.inNetns(Optional.of(Path.of("/var/run/netns/pod1")), List.of("qemu", "-nodefaults")))
        .containsExactly("/usr/bin/nsenter", "--net=/var/run/netns/pod1", "--", "qemu", "-nodefaults");
  }

  @Test
  void withoutANamespaceTheArgvIsUnchanged() {
    assertThat(QemuCommandLine.inNetns(Optional.empty(), List.of("qemu"))).containsExactly("qemu");
  }

  @Test
  void tapRendersAsVirtioNetOnTheNamedTap() {
    assertThat(new VirtioNetTap("net0", "tap0_gl", "02:00:00:00:00:01").args()).containsExactly(
        "-netdev", "tap,id=net0,ifname=tap0_gl,script=no,downscript=no",
        "-device", "virtio-net-device,netdev=net0,mac=02:00:00:00:00:01");
  }
}
