package io.goldilocks.shim.task;

import io.goldilocks.shim.io.IoSpec;
import io.goldilocks.shim.rootfs.MountSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * What Create asks for, in domain terms. Immutable, thread-safe.
 *
 * @param id the container id
 * @param bundle containerd's bundle directory (holds {@code config.json}, {@code rootfs/})
 * @param rootfs the mounts to stack at {@code <bundle>/rootfs} (empty: the bundle's rootfs is used as it is)
 * @param io the init process's stdio
 */
public record CreateConfig(String id, Path bundle, List<MountSpec> rootfs, IoSpec io) {
  public CreateConfig {
    rootfs = List.copyOf(rootfs);
  }
}
