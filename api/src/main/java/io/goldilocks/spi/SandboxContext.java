package io.goldilocks.spi;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The sandbox (one VM) a plugin request belongs to.
 *
 * @param sandboxId containerd's sandbox id (the pod sandbox's container id)
 * @param runDir the sandbox's host runtime directory ({@code /run/goldilocks/sandbox/<sandbox-id>}, which holds the
 *     rootfs share {@code shared/}); a plugin may keep per-sandbox state under it, the shim removes it on teardown
 * @param annotations the sandbox's OCI annotations (Kubernetes and CRI annotations included); never null
 */
public record SandboxContext(String sandboxId, Path runDir, Map<String, String> annotations) {
  public SandboxContext {
    Objects.requireNonNull(sandboxId, "sandboxId");
    Objects.requireNonNull(runDir, "runDir");
    annotations = Map.copyOf(annotations);
  }
}
