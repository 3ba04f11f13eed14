package io.goldilocks.shim.sandbox;

import java.util.Objects;

/**
 * What {@link Sandbox#exec(ExecConfig)} needs: a further process in a running container. Immutable, thread-safe.
 *
 * @param containerId the container to run in
 * @param execId the exec id, unique within the container (non-empty)
 * @param processSpec the OCI {@code process} object (args, env, cwd, user, terminal, ...) as JSON bytes, as containerd
 *     sends it in {@code ExecProcessRequest.spec}
 * @param terminal whether the process gets a pseudo-terminal (must match the spec's {@code terminal})
 * @param stdio where the process's streams come from and go to
 */
public record ExecConfig(String containerId, String execId, byte[] processSpec, boolean terminal, Stdio stdio) {
  public ExecConfig {
    Objects.requireNonNull(containerId, "containerId");
    Objects.requireNonNull(execId, "execId");
    Objects.requireNonNull(processSpec, "processSpec");
    Objects.requireNonNull(stdio, "stdio");
  }

  /** The process this exec names. */
  public ProcessRef ref() {
    return ProcessRef.exec(containerId, execId);
  }
}
