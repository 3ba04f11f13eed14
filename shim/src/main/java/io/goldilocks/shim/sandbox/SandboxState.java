package io.goldilocks.shim.sandbox;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of a sandbox. The allowed transitions are listed here, once:
 *
 * <pre>
 *   BOOTING ──agent answered──> READY ──shutdown()──> STOPPING ──torn down──> STOPPED
 *      │                          │                      │
 *      └──boot failed──> FAILED <─┴──VM died / agent ────┘
 *                                    stopped answering
 * </pre>
 *
 * <p>Only {@link #READY} accepts container and process calls; any other state answers them with FAILED_PRECONDITION
 * (UNAVAILABLE once {@link #FAILED}). {@link #STOPPED} and {@link #FAILED} are final: everything the sandbox created
 * on the host (QEMU, virtiofsd, sockets, mounts, its runtime directory) is gone by the time either is reached.
 */
public enum SandboxState {
  /** The VM is starting; the agent has not answered its health check yet. */
  BOOTING,
  /** The agent answers; containers can be created and run. */
  READY,
  /** {@link Sandbox#shutdown()} is stopping the containers, powering the VM off and cleaning up. */
  STOPPING,
  /** Shut down on request; nothing is left. */
  STOPPED,
  /** Lost: the boot failed, the VM died or the agent stopped answering; the VM was killed and cleaned up. */
  FAILED;

  /** Whether a sandbox in this state may move to {@code next}. */
  public boolean canMoveTo(SandboxState next) {
    return successors().contains(next);
  }

  /** The states this one may move to. */
  public Set<SandboxState> successors() {
    return switch (this) {
      case BOOTING -> EnumSet.of(READY, FAILED);
      case READY -> EnumSet.of(STOPPING, FAILED);
      case STOPPING -> EnumSet.of(STOPPED, FAILED);
      case STOPPED, FAILED -> EnumSet.noneOf(SandboxState.class);
    };
  }

  /** True for {@link #STOPPED} and {@link #FAILED}. */
  public boolean isFinal() {
    return this == STOPPED || this == FAILED;
  }
}
