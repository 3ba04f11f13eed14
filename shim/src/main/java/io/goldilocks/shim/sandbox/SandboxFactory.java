package io.goldilocks.shim.sandbox;

import io.goldilocks.ttrpc.TtrpcException;

/** Boots sandboxes. Implementations are thread-safe: boots of different sandboxes may run concurrently. */
public interface SandboxFactory {
  /**
   * Boots a guest VM for a new sandbox and waits, within {@link SandboxConfig#bootDeadline()}, until its agent
   * answers a health check.
   *
   * @return the sandbox, {@link SandboxState#READY}
   * @throws SandboxBootException when the VM did not come up (DEADLINE_EXCEEDED when the deadline passed,
   *     UNAVAILABLE when QEMU or virtiofsd exited); the VM has been killed and cleaned up, and the exception carries
   *     the tail of the guest console
   * @throws TtrpcException ALREADY_EXISTS for a sandbox id in use on this host, FAILED_PRECONDITION naming the
   *     missing file when the kernel, initrd, QEMU or virtiofsd is missing
   */
  Sandbox boot(SandboxConfig config) throws TtrpcException;
}
