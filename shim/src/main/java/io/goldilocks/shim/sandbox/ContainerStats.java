package io.goldilocks.shim.sandbox;

/**
 * Resource usage of one container, measured by the guest agent from the container's cgroup. Immutable, thread-safe.
 * A value the guest could not read is {@code -1}.
 *
 * @param cpuUsageNanos total CPU time consumed
 * @param memoryUsageBytes current memory usage
 * @param memoryLimitBytes the memory limit ({@code -1} when unlimited)
 * @param pids number of processes
 */
public record ContainerStats(long cpuUsageNanos, long memoryUsageBytes, long memoryLimitBytes, long pids) {}
