package io.goldilocks.agent.process;

import io.goldilocks.ttrpc.TtrpcException;
import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of a container in the guest. The allowed transitions are listed once, here:
 *
 * <pre>
 *   CREATED --start--> RUNNING --pause--> PAUSED
 *      |                  |  ^--resume------'|
 *      |                  '--init exits--> STOPPED <--init exits--'
 *      '--start failed--------------------> STOPPED
 * </pre>
 *
 * RemoveContainer is allowed in CREATED and STOPPED (with force, in any state: it kills first).
 */
public enum ContainerState {
  CREATED,
  RUNNING,
  PAUSED,
  STOPPED;

  private Set<ContainerState> next() {
    switch (this) {
      case CREATED:
        return EnumSet.of(RUNNING, STOPPED);
      case RUNNING:
        return EnumSet.of(PAUSED, STOPPED);
      case PAUSED:
        return EnumSet.of(RUNNING, STOPPED);
      default:
        return EnumSet.noneOf(ContainerState.class);
    }
  }

  /** Whether {@code this -> to} is an allowed transition. */
  public boolean canBecome(ContainerState to) {
    return next().contains(to);
  }

  /** Raises FAILED_PRECONDITION unless the state is one of {@code allowed}. */
  public void require(String containerId, String action, ContainerState... allowed) throws TtrpcException {
    for (ContainerState s : allowed) {
      if (s == this) {
        return;
      }
    }
    throw TtrpcException.failedPrecondition("cannot %s container %s: it is %s", action, containerId, this);
  }
}
