package io.goldilocks.shim.sandbox;

/**
 * Resource usage of one container, read by the guest agent from the container's cgroup (v2). Immutable, thread-safe.
 * A value the guest kernel does not provide is 0; a limit of 0 means unlimited.
 *
 * @param cpuUsageUsec total CPU time ({@code cpu.stat usage_usec})
 * @param cpuUserUsec user CPU time
 * @param cpuSystemUsec system CPU time
 * @param memoryUsageBytes {@code memory.current}
 * @param memoryLimitBytes {@code memory.max} (0 when unlimited)
 * @param swapUsageBytes {@code memory.swap.current}
 * @param pidsCurrent number of tasks
 * @param pidsLimit {@code pids.max} (0 when unlimited)
 * @param oomKills {@code memory.events oom_kill}
 */
public record ContainerStats(
    long cpuUsageUsec,
    long cpuUserUsec,
    long cpuSystemUsec,
    long memoryUsageBytes,
    long memoryLimitBytes,
    long swapUsageBytes,
    long pidsCurrent,
    long pidsLimit,
    long oomKills) {}
