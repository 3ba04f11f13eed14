package io.goldilocks.bundles.storage.virtiofs;

import io.goldilocks.spi.Mount;
import io.goldilocks.spi.PluginException;
import io.goldilocks.spi.storage.StoragePlan;
import io.goldilocks.spi.storage.StorageRequest;
import io.goldilocks.spi.storage.VmStorage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rootfs share plan (architecture.md, "Rootfs"): the sandbox's host directory {@code <runDir>/shared} is one
 * virtio-fs share, tag {@value #TAG}, mounted by the guest at {@value #GUEST_SHARED}. For each container:
 * <ol>
 *   <li>containerd's rootfs mounts go on {@code <bundle>/rootfs}, as runc would mount them (writes land in the
 *       snapshot);
 *   <li>{@code <bundle>/rootfs} is bind-mounted to {@code <shared>/<container-id>/rootfs} (the guest rootfs);
 *   <li>each OCI bind mount's host source is bind-mounted to {@code <shared>/<container-id>/mounts/<n>} (read-only
 *       when the OCI mount is) and the container's mount is rewritten to that guest path; other mounts (proc, tmpfs,
 *       ...) are made in the guest as they are.
 * </ol>
 * The executor creates each bind target as a file or a directory like its source. Stateless.
 */
final class RootfsSharePlanner {
  static final String TAG = "goldilocks";
  static final String GUEST_SHARED = "/run/goldilocks/shared";
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

  private RootfsSharePlanner() {}

  static StoragePlan plan(StorageRequest request) throws PluginException {
    String id = request.containerId();
    if (!SAFE_ID.matcher(id).matches() || id.contains("..")) {
      throw invalid("container id '" + id + "' cannot name a directory in the share");
    }
    Path shared = request.sandbox().runDir().resolve("shared");
    Path rootfs = request.bundleDir().resolve("rootfs");
    List<Mount> hostMounts = new ArrayList<>();
    for (Mount m : request.rootfs()) {
      hostMounts.add(new Mount(m.type(), m.source(), rootfs.toString(), m.options()));
    }
    hostMounts.add(Mount.bind(rootfs.toString(), shared.resolve(id).resolve("rootfs").toString(), false));
    String guestDir = GUEST_SHARED + "/" + id;
    List<Mount> containerMounts = new ArrayList<>();
    int n = 0;
    for (Mount m : request.mounts()) {
      if (!m.isBind()) {
        containerMounts.add(m);
        continue;
      }
      if (!m.source().startsWith("/")) {
        throw invalid("bind mount " + m.target() + " has a relative source '" + m.source() + "'");
      }
      String name = "mounts/" + n++;
      hostMounts.add(Mount.bind(m.source(), shared.resolve(id).resolve(name).toString(), m.isReadOnly()));
      containerMounts.add(new Mount(m.type(), guestDir + "/" + name, m.target(), m.options()));
    }
    return new StoragePlan(
        List.of(new VmStorage.VirtioFsShare(TAG, shared)),
        hostMounts,
        List.of(new Mount("virtiofs", TAG, GUEST_SHARED, List.of())),
        guestDir + "/rootfs",
        containerMounts);
  }

  private static PluginException invalid(String message) {
    return new PluginException(PluginException.Reason.INVALID_ARGUMENT, message);
  }
}
