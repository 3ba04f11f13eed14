package io.goldilocks.agent;

import java.nio.file.Path;

/**
 * Where the agent keeps things and which binaries it runs. Immutable.
 *
 * @param runc the runc executable
 * @param runcRoot runc's state directory (--root)
 * @param stateDir the agent's own directory: bundles/ and sandbox/ live here
 * @param cgroupMount the cgroup mount point (cgroup2 in the guest)
 * @param cgroupParent parent cgroup of every container, relative to the mount
 * @param applyHostname whether CreateSandbox sets the kernel hostname (not in host-side tests)
 * @param outputCapacity bytes buffered per output stream without a reader
 */
public record AgentConfig(String runc, Path runcRoot, Path stateDir, Path cgroupMount, String cgroupParent,
    boolean applyHostname, int outputCapacity) {

  /** The guest's defaults. */
  public static AgentConfig guestDefaults() {
    return new AgentConfig("runc", Path.of("/run/runc"), Path.of("/run/goldilocks/agent"),
        Path.of("/sys/fs/cgroup"), "/goldilocks", true, 1 << 20);
  }

  public AgentConfig withRunc(String value) {
    return new AgentConfig(value, runcRoot, stateDir, cgroupMount, cgroupParent, applyHostname, outputCapacity);
  }

  public AgentConfig withRuncRoot(Path value) {
    return new AgentConfig(runc, value, stateDir, cgroupMount, cgroupParent, applyHostname, outputCapacity);
  }

  public AgentConfig withStateDir(Path value) {
    return new AgentConfig(runc, runcRoot, value, cgroupMount, cgroupParent, applyHostname, outputCapacity);
  }

  public AgentConfig withCgroupParent(String value) {
    return new AgentConfig(runc, runcRoot, stateDir, cgroupMount, value, applyHostname, outputCapacity);
  }

  public AgentConfig withApplyHostname(boolean value) {
    return new AgentConfig(runc, runcRoot, stateDir, cgroupMount, cgroupParent, value, outputCapacity);
  }
}
