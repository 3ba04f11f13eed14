package io.goldilocks.hypervisor;

/** An action was attempted outside the phase that allows it. Code FAILED_PRECONDITION. */
public final class VmPhaseException extends HypervisorException {
  private final VmPhase phase;
  private final VmAction action;

  public VmPhaseException(String vmId, VmPhase phase, VmAction action) {
    super(Code.FAILED_PRECONDITION, "VM " + vmId + ": cannot " + action.describe() + " in phase " + phase);
    this.phase = phase;
    this.action = action;
  }

  public VmPhase phase() {
    return phase;
  }

  public VmAction action() {
    return action;
  }
}
