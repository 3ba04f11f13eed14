package io.goldilocks.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldilocks.hypervisor.Accelerator;
import io.goldilocks.hypervisor.qemu.AcceleratorProbe.HostFacts;
import org.junit.jupiter.api.Test;

class AcceleratorProbeTest {
  private static final String VMX = "processor\t: 0\nflags\t\t: fpu vme de pse tsc msr vmx sse2\n";
  private static final String PLAIN = "processor\t: 0\nflags\t\t: fpu vme de pse tsc msr sse2 hypervisor\n";

  @Test
  void hardwareVirtualizationWithUsableKvmPicksKvm() {
    Accelerator accel = new AcceleratorProbe(new HostFacts(VMX, true, false)).choose(false);
    assertThat(accel.kind()).isEqualTo(Accelerator.Kind.KVM);
    assertThat(accel.reason()).contains("vmx/svm");
  }

  @Test
  void hardwareVirtualizationWithoutUsableDevKvmFallsBackToTcg() {
    Accelerator accel = new AcceleratorProbe(new HostFacts(VMX, false, false)).choose(true);
    assertThat(accel.kind()).isEqualTo(Accelerator.Kind.TCG);
    assertThat(accel.reason()).contains("/dev/kvm");
  }

  @Test
  void pvmHostRunsOnlyAPvmGuestKernelUnderKvm() {
    AcceleratorProbe pvmHost = new AcceleratorProbe(new HostFacts(PLAIN, true, true));
    assertThat(pvmHost.choose(true).kind()).isEqualTo(Accelerator.Kind.KVM);
    Accelerator stock = pvmHost.choose(false);
    assertThat(stock.kind()).isEqualTo(Accelerator.Kind.TCG);
    assertThat(stock.reason()).contains("not declared PVM-capable");
  }

  @Test
  void noVirtualizationAtAllIsTcg() {
    Accelerator accel = new AcceleratorProbe(new HostFacts(PLAIN, true, false)).choose(true);
    assertThat(accel.kind()).isEqualTo(Accelerator.Kind.TCG);
    assertThat(accel.reason()).contains("no hardware virtualization");
  }

  @Test
  void aFlagMerelyContainingVmxDoesNotCount() {
    String tricky = "flags\t\t: fpu vmxe svmlock\n";
    assertThat(new AcceleratorProbe(new HostFacts(tricky, true, false)).choose(false).kind())
        .isEqualTo(Accelerator.Kind.TCG);
  }
}
