package io.goldilocks.hypervisor;

/** The CPU accelerator a VM runs under, and a one-line reason it was chosen. */
public record Accelerator(Kind kind, String reason) {
  public enum Kind {
    /** Hardware virtualization or PVM through /dev/kvm. */
    KVM,
    /** QEMU's software emulation: slower, works everywhere. */
    TCG
  }

  @Override
  public String toString() {
    return kind + " (" + reason + ")";
  }
}
