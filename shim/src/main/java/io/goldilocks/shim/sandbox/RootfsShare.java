package io.goldilocks.shim.sandbox;

import io.goldilocks.spi.Mount;
import io.goldilocks.spi.storage.StoragePlan;
import io.goldilocks.spi.storage.VmStorage;
import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-sandbox host directory shared into the guest with virtio-fs (tag {@link #TAG}, guest mount {@link
 * #GUEST_MOUNT}): the one sandbox-level storage device, given to the VM at boot. What goes into it for each container
 * is not decided here: a storage plugin plans it ({@link ContainerStorage}) and {@link #execute} performs the plan's
 * host bind mounts (e.g. storage-virtiofs binds the rootfs read-write to {@code <dir>/<container-id>/rootfs}, so the
 * container's writes land in containerd's snapshot).
 *
 * <p>Why a self bind mount made shared: virtiofsd serves the directory from its own mount namespace, a slave copy
 * taken when it starts. Container rootfs mounts are added later; they only reach virtiofsd when the directory is a
 * shared mount, whatever the host's root propagation is (private on some hosts).
 *
 * <p>Never deletes recursively: a directory is removed only when empty, so a mount that could not be removed can never
 * lead to deleting a container's files. Thread-safe: methods synchronize on this.
 */
final class RootfsShare implements AutoCloseable {
  /** The virtio-fs tag of the share. */
  static final String TAG = "goldilocks";

  /** Where the guest mounts the share. */
  static final String GUEST_MOUNT = "/run/goldilocks/shared";

  private static final Logger log = LoggerFactory.getLogger(RootfsShare.class);

  private final Path dir;
  /** Guarded by this: container id → its host mount targets, in the order they were mounted. */
  private final Map<String, List<Path>> mounts = new LinkedHashMap<>();
  /** Guarded by this. */
  private boolean closed;

  private RootfsShare(Path dir) {
    this.dir = dir;
  }

  /**
   * Creates the share directory (it must not exist yet) and makes it a shared mount.
   *
   * @throws TtrpcException ALREADY_EXISTS when the directory exists, FAILED_PRECONDITION when it cannot be set up
   */
  static RootfsShare create(Path dir) throws TtrpcException {
    try {
      Files.createDirectories(dir.getParent());
      Files.createDirectory(dir);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw TtrpcException.alreadyExists("share directory %s exists: is sandbox %s already running?", dir,
          dir.getParent().getFileName());
    } catch (IOException e) {
      throw new TtrpcException(Code.FAILED_PRECONDITION, "cannot create share directory " + dir + ": " + e, e);
    }
    RootfsShare share = new RootfsShare(dir);
    try {
      HostCommand.run(Code.FAILED_PRECONDITION, List.of("mount", "--bind", dir.toString(), dir.toString()));
      try {
        HostCommand.run(Code.FAILED_PRECONDITION, List.of("mount", "--make-shared", dir.toString()));
      } catch (TtrpcException e) {
        unmount(dir);
        throw e;
      }
    } catch (TtrpcException e) {
      removeEmpty(dir);
      throw e;
    }
    return share;
  }

  /** The host directory given to virtiofsd. */
  Path hostDir() {
    return dir;
  }

  /**
   * Executes the host half of a container's storage plan: checks that the plan needs no VM storage and no guest mount
   * beyond this share (the VM's devices are fixed at boot; the agent mounted the share when the sandbox was created),
   * then performs the plan's host bind mounts in order, each into this share. On failure the mounts made so far are
   * undone.
   *
   * @return the container's rootfs path in the guest, from the plan
   * @throws TtrpcException ALREADY_EXISTS for a container already mounted, FAILED_PRECONDITION after close, for a
   *     plan this sandbox cannot execute, or when mount fails, INVALID_ARGUMENT for a mount source that does not exist
   */
  synchronized String execute(String containerId, StoragePlan plan) throws TtrpcException {
    if (closed) {
      throw TtrpcException.failedPrecondition("the rootfs share of %s is closed", dir);
    }
    if (mounts.containsKey(containerId)) {
      throw TtrpcException.alreadyExists("rootfs of container %s is already shared", containerId);
    }
    requireExecutable(containerId, plan);
    List<Path> done = new ArrayList<>();
    try {
      for (Mount m : plan.hostMounts()) {
        done.add(bind(m));
      }
    } catch (TtrpcException | RuntimeException e) {
      undo(done);
      throw e;
    }
    mounts.put(containerId, List.copyOf(done));
    return plan.guestRootfs();
  }

  /** What this sandbox can execute: VM storage and guest mounts it already has, bind mounts into its share. */
  private void requireExecutable(String containerId, StoragePlan plan) throws TtrpcException {
    VmStorage mine = new VmStorage.VirtioFsShare(TAG, dir);
    for (VmStorage s : plan.vmStorage()) {
      if (!s.equals(mine)) {
        throw TtrpcException.failedPrecondition("container %s: the storage plan needs %s, but the VM of this "
            + "sandbox has only %s (VM devices are given at boot)", containerId, s, mine);
      }
    }
    Mount guestShare = new Mount("virtiofs", TAG, GUEST_MOUNT, List.of());
    for (Mount m : plan.guestMounts()) {
      if (!m.equals(guestShare)) {
        throw TtrpcException.failedPrecondition("container %s: the storage plan asks the guest to mount %s; this "
            + "sandbox's guest has only %s", containerId, m, guestShare);
      }
    }
    String root = plan.guestRootfs();
    if (!root.startsWith(GUEST_MOUNT + "/") || root.contains("..") || root.length() > 4096) {
      throw TtrpcException.failedPrecondition("container %s: the planned guest rootfs '%s' is not inside the "
          + "share %s", containerId, root, GUEST_MOUNT);
    }
    for (Mount m : plan.hostMounts()) {
      Path target = Path.of(m.target()).normalize();
      if (!m.isBind() || !target.isAbsolute() || !target.startsWith(dir) || target.equals(dir)) {
        throw TtrpcException.failedPrecondition("container %s: the storage plan's host mount %s is not a bind "
            + "mount into the share %s (containerd's rootfs is mounted by the shim, not the plan)", containerId, m,
            dir);
      }
    }
  }

  /** One bind mount; creates its target like its source (file or directory). Returns the target. */
  private Path bind(Mount m) throws TtrpcException {
    Path source = Path.of(m.source());
    Path target = Path.of(m.target()).normalize();
    if (!Files.exists(source)) {
      throw TtrpcException.invalidArgument("mount source %s does not exist", source);
    }
    try {
      if (Files.isDirectory(source)) {
        Files.createDirectories(target);
      } else {
        Files.createDirectories(target.getParent());
        if (!Files.exists(target)) {
          Files.createFile(target);
        }
      }
    } catch (IOException e) {
      throw new TtrpcException(Code.INTERNAL, "cannot create " + target + ": " + e, e);
    }
    try {
      HostCommand.run(Code.FAILED_PRECONDITION, List.of("mount", "--bind", source.toString(), target.toString()));
    } catch (TtrpcException e) {
      removeUpTo(target);
      throw e;
    }
    if (m.isReadOnly()) {
      try {
        HostCommand.run(Code.FAILED_PRECONDITION, List.of("mount", "-o", "remount,bind,ro", target.toString()));
      } catch (TtrpcException e) {
        undo(List.of(target));
        throw e;
      }
    }
    return target;
  }

  /** Unmounts {@code targets} in reverse order and removes the emptied directories. Best effort, logs failures. */
  private void undo(List<Path> targets) {
    for (int i = targets.size() - 1; i >= 0; i--) {
      try {
        unmount(targets.get(i));
        removeUpTo(targets.get(i));
      } catch (TtrpcException e) {
        log.warn("cannot unmount {}: {}", targets.get(i), e.getMessage());
      }
    }
  }

  /** Unmounts a container's host mounts (reverse order) from the share. No-op for a container not mounted. */
  synchronized void unmount(String containerId) throws TtrpcException {
    List<Path> targets = mounts.get(containerId);
    if (targets == null) {
      return;
    }
    for (int i = targets.size() - 1; i >= 0; i--) {
      unmount(targets.get(i));
      removeUpTo(targets.get(i));
    }
    mounts.remove(containerId);
  }

  /** Removes {@code path} (an emptied mount point) and its emptied parents inside the share. */
  private void removeUpTo(Path path) {
    for (Path p = path; p != null && p.startsWith(dir) && !p.equals(dir); p = p.getParent()) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        return; // not empty (another container's files) or busy: leave it and its parents
      }
    }
  }

  /** The containers whose rootfs is mounted. */
  synchronized List<String> containers() {
    return new ArrayList<>(mounts.keySet());
  }

  /**
   * Unmounts every rootfs and the share itself and removes the (then empty) directory. Idempotent; logs and keeps
   * going on failure so as much as possible is cleaned.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (String id : new ArrayList<>(mounts.keySet())) {
      try {
        unmount(id);
      } catch (TtrpcException e) {
        log.warn("cannot unmount the rootfs of {}: {}", id, e.getMessage());
      }
    }
    if (!mounts.isEmpty()) {
      log.warn("leaving {} in place: rootfs mounts remain {}", dir, mounts.values());
      return;
    }
    try {
      unmount(dir);
    } catch (TtrpcException e) {
      log.warn("cannot unmount share {}: {}", dir, e.getMessage());
      return;
    }
    removeEmpty(dir);
  }

  private static void unmount(Path target) throws TtrpcException {
    try {
      HostCommand.run(Code.INTERNAL, List.of("umount", target.toString()));
    } catch (TtrpcException e) {
      // Busy (virtiofsd still holds it): detach now; the kernel finishes once the last user goes.
      HostCommand.run(Code.INTERNAL, List.of("umount", "--lazy", target.toString()));
    }
  }

  private static void removeEmpty(Path directory) {
    try {
      Files.deleteIfExists(directory);
    } catch (IOException e) {
      log.warn("cannot remove {}: {}", directory, e.toString());
    }
  }
}
