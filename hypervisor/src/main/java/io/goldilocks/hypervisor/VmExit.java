package io.goldilocks.hypervisor;

import java.util.List;

/**
 * How a VM ended. {@code qemuExitCode} is QEMU's exit status (128+signal when killed by a signal, -1 if unknown).
 * {@code consoleTail} holds the last console lines, read before the run directory was removed.
 */
public record VmExit(Reason reason, int qemuExitCode, String detail, List<String> consoleTail) {
  public enum Reason {
    /** QEMU exited by itself: the guest powered off, panicked, or QEMU failed. */
    QEMU_EXITED,
    /** A helper (virtiofsd) died, so the VM was stopped. */
    HELPER_DIED,
    /** Stopped on request: powerOff, kill, close or a failed boot. */
    STOPPED
  }

  public VmExit {
    consoleTail = List.copyOf(consoleTail);
  }
}
