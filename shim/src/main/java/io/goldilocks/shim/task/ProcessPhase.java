package io.goldilocks.shim.task;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of a task's process (the container's init process or an exec process), as containerd sees it. The
 * allowed transitions, listed once:
 *
 * <pre>
 *   CREATED ──start──> RUNNING ──pause──> PAUSED
 *      │                 │  ^───resume─────┘ │
 *      │               exit                 exit
 *      ├──exit/kill──> STOPPED <─────────────┘
 *      │                 │
 *      └──delete──> DELETED <──delete
 * </pre>
 *
 * A process that exits while its Start call is still returning stays STOPPED ({@code start} on STOPPED only records
 * the pid). Exec processes never pause (pausing freezes the whole container).
 */
public enum ProcessPhase {
  CREATED,
  RUNNING,
  PAUSED,
  STOPPED,
  DELETED;

  /** The phases this one may move to. */
  public Set<ProcessPhase> successors() {
    return switch (this) {
      case CREATED -> EnumSet.of(RUNNING, STOPPED, DELETED);
      case RUNNING -> EnumSet.of(PAUSED, STOPPED);
      case PAUSED -> EnumSet.of(RUNNING, STOPPED);
      case STOPPED -> EnumSet.of(DELETED);
      case DELETED -> EnumSet.noneOf(ProcessPhase.class);
    };
  }

  public boolean canMoveTo(ProcessPhase next) {
    return successors().contains(next);
  }
}
