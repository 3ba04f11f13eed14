package io.goldilocks.hypervisor;

/**
 * Phases of a booted VM. Configuration happens before any of these, on {@link VmConfig.Builder}; a
 * {@link VirtualMachine} has no setters.
 *
 * <pre>
 *   BOOTING ──awaitReady ok──> READY
 *      │                          │
 *      └──QEMU exits / killed ────┴──> EXITED ──close──> CLOSED   (close is allowed from every phase)
 * </pre>
 */
public enum VmPhase {
  /** QEMU runs; the caller's readiness probe has not yet succeeded. */
  BOOTING,
  /** The readiness probe succeeded. */
  READY,
  /** QEMU is gone and its helpers were torn down; the exit is known. */
  EXITED,
  /** close() ran: nothing of the VM is left on the host. */
  CLOSED;

  /** Whether the VM may move from this phase to {@code next}. The only place transitions are listed. */
  public boolean canMoveTo(VmPhase next) {
    return switch (this) {
      case BOOTING -> next == READY || next == EXITED || next == CLOSED;
      case READY -> next == EXITED || next == CLOSED;
      case EXITED -> next == CLOSED;
      case CLOSED -> false;
    };
  }
}
