package io.goldilocks.shim.sandbox;

/**
 * One process running inside a container, as listed by {@link Sandbox#pids(String)}. Immutable, thread-safe.
 *
 * @param pid the pid in the guest
 * @param execId the exec id when the process is the main process of an exec, {@code ""} otherwise
 */
public record ProcessInfo(int pid, String execId) {}
