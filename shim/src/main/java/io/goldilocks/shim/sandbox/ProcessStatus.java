package io.goldilocks.shim.sandbox;

import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one process, for containerd's {@code State} call. Immutable, thread-safe.
 *
 * @param ref which process
 * @param pid its pid in the guest (0 before it was created there)
 * @param state its phase
 * @param terminal whether it runs on a pseudo-terminal
 * @param exit how it ended, once {@code state} is {@link ProcessState#STOPPED}
 */
public record ProcessStatus(ProcessRef ref, int pid, ProcessState state, boolean terminal, Optional<ExitStatus> exit) {
  public ProcessStatus {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(exit, "exit");
  }
}
