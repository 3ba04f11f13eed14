package io.goldilocks.hypervisor;

import java.util.Objects;

/**
 * The phase of one VM and the checks of actions against it. Backends hold one and call {@link #check} at the top of
 * each public method. Thread-safe: every method synchronizes on this.
 */
public final class VmLifecycle {
  private final String vmId;
  private VmPhase phase = VmPhase.BOOTING; // guarded by this

  public VmLifecycle(String vmId) {
    this.vmId = Objects.requireNonNull(vmId);
  }

  public synchronized VmPhase phase() {
    return phase;
  }

  /** Throws {@link VmPhaseException} unless {@code action} is allowed in the current phase; returns the phase. */
  public synchronized VmPhase check(VmAction action) throws VmPhaseException {
    if (!action.allowedIn(phase)) {
      throw new VmPhaseException(vmId, phase, action);
    }
    return phase;
  }

  /** Moves to {@code next} when that transition is allowed; returns whether it moved (false: already past it). */
  public synchronized boolean moveTo(VmPhase next) {
    if (!phase.canMoveTo(next)) {
      return false;
    }
    phase = next;
    notifyAll();
    return true;
  }
}
