package io.goldilocks.shim.rootfs;

import java.util.List;

/**
 * One mount containerd passes in {@code CreateTaskRequest.rootfs} (the domain form of {@code containerd.types.Mount}):
 * e.g. {@code overlay overlay [index=off, workdir=..., upperdir=..., lowerdir=...]} from the overlayfs snapshotter or
 * {@code bind /snapshots/N/fs [rbind, rw]} from the native one.
 *
 * <p>Immutable, thread-safe.
 */
public record MountSpec(String type, String source, List<String> options) {
  public MountSpec {
    options = List.copyOf(options);
  }

  /** Bind mounts carry their kind in the options ({@code bind}/{@code rbind}) and sometimes type "bind". */
  public boolean isBind() {
    return "bind".equals(type) || options.contains("bind") || options.contains("rbind");
  }
}
