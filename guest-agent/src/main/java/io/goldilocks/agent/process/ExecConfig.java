package io.goldilocks.agent.process;

import java.util.Objects;

/**
 * What ExecProcess asks for, already bounds-checked by the RPC edge. Immutable.
 *
 * @param containerId the running container
 * @param execId the new process's id, unique within the container
 * @param processJson the OCI Process as JSON (`runc exec --process`)
 * @param stdio which stdio streams are connected; {@code stdio.terminal()} overrides {@code process.terminal}
 */
public record ExecConfig(String containerId, String execId, String processJson, StdioConfig stdio) {
  public ExecConfig {
    Objects.requireNonNull(containerId, "containerId");
    Objects.requireNonNull(execId, "execId");
    Objects.requireNonNull(processJson, "processJson");
    Objects.requireNonNull(stdio, "stdio");
  }
}
