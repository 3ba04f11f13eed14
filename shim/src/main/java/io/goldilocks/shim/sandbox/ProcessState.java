package io.goldilocks.shim.sandbox;

import java.util.EnumSet;
import java.util.Set;

/**
 * The phase of a container's init process or of an exec process, as containerd's {@code State} reports it.
 * The allowed transitions are listed once, in {@link #successors()}:
 *
 * <pre>
 *   CREATED ──start──> RUNNING ──pause──> PAUSED
 *      │                 │  ^───resume─────┘ │
 *      └──killed/lost──> STOPPED <──exit/lost─┘
 * </pre>
 */
public enum ProcessState {
  /** Created in the guest (runc create), not started yet. */
  CREATED,
  /** Started and not yet exited. */
  RUNNING,
  /** Frozen by {@link Sandbox#pause(String)} (containers only). */
  PAUSED,
  /** Exited (or lost with its sandbox); its {@link ExitStatus} is known. */
  STOPPED;

  /** The states this one may move to. */
  public Set<ProcessState> successors() {
    return switch (this) {
      case CREATED -> EnumSet.of(RUNNING, STOPPED);
      case RUNNING -> EnumSet.of(PAUSED, STOPPED);
      case PAUSED -> EnumSet.of(RUNNING, STOPPED);
      case STOPPED -> EnumSet.noneOf(ProcessState.class);
    };
  }

  /** Whether a process in this state may move to {@code next}. */
  public boolean canMoveTo(ProcessState next) {
    return successors().contains(next);
  }

  /** RUNNING or PAUSED: the process exists in the guest and has not exited. */
  public boolean isAlive() {
    return this == RUNNING || this == PAUSED;
  }
}
