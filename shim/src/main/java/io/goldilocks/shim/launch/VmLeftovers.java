package io.goldilocks.shim.launch;

/**
 * Removes whatever is left of a group's VM (processes, mounts, sockets, its runtime directory) using only on-disk
 * state. Implementations must be idempotent: {@code delete} calls this after every task end.
 */
@FunctionalInterface
public interface VmLeftovers {
  void clean(ShimGroup group) throws Exception;
}
