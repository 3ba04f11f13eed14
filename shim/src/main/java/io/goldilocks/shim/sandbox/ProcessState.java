package io.goldilocks.shim.sandbox;

/** The phase of a container's init process or of an exec process, as containerd's {@code State} reports it. */
public enum ProcessState {
  /** Created in the guest (runc create), not started yet. */
  CREATED,
  /** Started and not yet exited. */
  RUNNING,
  /** Frozen by {@link Sandbox#pause(String)} (containers only). */
  PAUSED,
  /** Exited (or lost with its sandbox); its {@link ExitStatus} is known. */
  STOPPED
}
