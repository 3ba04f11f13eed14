package io.goldilocks.shim.sandbox;

import java.util.Objects;

/**
 * Names one process of a sandbox: a container's init process ({@code execId} empty, containerd's convention) or one
 * of its exec processes. Immutable, thread-safe.
 *
 * @param containerId the container's id
 * @param execId the exec id; {@code ""} for the container's init process
 */
public record ProcessRef(String containerId, String execId) {
  public ProcessRef {
    Objects.requireNonNull(containerId, "containerId");
    Objects.requireNonNull(execId, "execId");
  }

  /** The init process of a container. */
  public static ProcessRef init(String containerId) {
    return new ProcessRef(containerId, "");
  }

  /** An exec process of a container. */
  public static ProcessRef exec(String containerId, String execId) {
    if (execId.isEmpty()) {
      throw new IllegalArgumentException("an exec id must not be empty");
    }
    return new ProcessRef(containerId, execId);
  }

  /** True for a container's init process. */
  public boolean isInit() {
    return execId.isEmpty();
  }

  @Override
  public String toString() {
    return isInit() ? containerId : containerId + "/" + execId;
  }
}
