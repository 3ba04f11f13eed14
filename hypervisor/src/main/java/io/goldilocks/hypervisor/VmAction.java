package io.goldilocks.hypervisor;

import java.util.EnumSet;
import java.util.Set;

/** What a caller can ask of a {@link VirtualMachine}, with the phases each is allowed in (listed once, here). */
public enum VmAction {
  AWAIT_READY("await readiness", EnumSet.of(VmPhase.BOOTING, VmPhase.READY)),
  QUERY_STATUS("query status", EnumSet.of(VmPhase.BOOTING, VmPhase.READY)),
  SERIAL_PORT("open a serial port", EnumSet.of(VmPhase.BOOTING, VmPhase.READY)),
  POWER_OFF("power off", EnumSet.of(VmPhase.BOOTING, VmPhase.READY, VmPhase.EXITED)),
  KILL("kill", EnumSet.of(VmPhase.BOOTING, VmPhase.READY, VmPhase.EXITED)),
  AWAIT_EXIT("await exit", EnumSet.allOf(VmPhase.class)),
  CLOSE("close", EnumSet.allOf(VmPhase.class));

  private final String description;
  private final Set<VmPhase> allowedIn;

  VmAction(String description, Set<VmPhase> allowedIn) {
    this.description = description;
    this.allowedIn = allowedIn;
  }

  public boolean allowedIn(VmPhase phase) {
    return allowedIn.contains(phase);
  }

  String describe() {
    return description;
  }
}
