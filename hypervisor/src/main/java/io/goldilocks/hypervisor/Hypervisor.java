package io.goldilocks.hypervisor;

/** Boots VMs from a sealed {@link VmConfig}. Implementations are thread-safe. */
public interface Hypervisor {
  /** The accelerator a VM with this config would get, and why. */
  Accelerator accelerator(VmConfig config);

  /**
   * Starts the VM's helpers and QEMU and returns at once, in phase BOOTING; use
   * {@link VirtualMachine#awaitReady} to wait for the guest. On failure nothing is left behind.
   */
  VirtualMachine boot(VmConfig config) throws HypervisorException;
}
