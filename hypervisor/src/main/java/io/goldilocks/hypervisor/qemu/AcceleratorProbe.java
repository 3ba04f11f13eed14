package io.goldilocks.hypervisor.qemu;

import io.goldilocks.hypervisor.Accelerator;
import io.goldilocks.hypervisor.Accelerator.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Chooses KVM only where it really works, else TCG. KVM works with hardware virtualization (vmx/svm) and a usable
 * /dev/kvm; on a PVM host (kvm_pvm, no vmx/svm) only a guest kernel built as a PVM guest runs — a stock kernel
 * aborts at once ("failed to set MSR 0x10a") — so that case needs the config's declaration. Thread-safe.
 */
public final class AcceleratorProbe {
  private static final Pattern HW_VIRT = Pattern.compile("^flags\\s*:.*\\b(vmx|svm)\\b", Pattern.MULTILINE);

  /** What the probe looks at; a record so the decision is unit-tested without the host. */
  public record HostFacts(String cpuinfo, boolean kvmUsable, boolean pvmHost) {
    public static HostFacts read() {
      String cpuinfo;
      try {
        cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
      } catch (IOException e) {
        cpuinfo = "";
      }
      Path kvm = Path.of("/dev/kvm");
      boolean usable = Files.exists(kvm) && Files.isReadable(kvm) && Files.isWritable(kvm);
      return new HostFacts(cpuinfo, usable, Files.isDirectory(Path.of("/sys/module/kvm_pvm")));
    }
  }

  private final HostFacts facts;

  public AcceleratorProbe(HostFacts facts) {
    this.facts = facts;
  }

  public Accelerator choose(boolean pvmGuestKernel) {
    boolean hardware = HW_VIRT.matcher(facts.cpuinfo()).find();
    if (!facts.kvmUsable()) {
      return new Accelerator(Kind.TCG, "/dev/kvm missing or not usable");
    }
    if (hardware) {
      return new Accelerator(Kind.KVM, "hardware virtualization (vmx/svm) and /dev/kvm usable");
    }
    if (facts.pvmHost() && pvmGuestKernel) {
      return new Accelerator(Kind.KVM, "PVM host (kvm_pvm) and a PVM-capable guest kernel");
    }
    if (facts.pvmHost()) {
      return new Accelerator(Kind.TCG, "PVM host (kvm_pvm) but the guest kernel is not declared PVM-capable");
    }
    return new Accelerator(Kind.TCG, "no hardware virtualization (no vmx/svm in /proc/cpuinfo)");
  }
}
