package io.goldilocks.shim.sandbox;

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
 * #GUEST_MOUNT}). Each container's rootfs is bind-mounted read-write into {@code <dir>/<container-id>/rootfs}, so the
 * container's writes land in the host directory (containerd's snapshot).
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
  /** Guarded by this: container id → host mount point. */
  private final Map<String, Path> mounts = new LinkedHashMap<>();
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
   * Bind-mounts a container's rootfs into the share.
   *
   * @return the rootfs's path in the guest
   * @throws TtrpcException ALREADY_EXISTS for a container already mounted, INVALID_ARGUMENT when {@code rootfs} is not
   *     a directory, FAILED_PRECONDITION after close or when mount fails
   */
  synchronized String mount(String containerId, Path rootfs) throws TtrpcException {
    if (closed) {
      throw TtrpcException.failedPrecondition("the rootfs share of %s is closed", dir);
    }
    if (mounts.containsKey(containerId)) {
      throw TtrpcException.alreadyExists("rootfs of container %s is already shared", containerId);
    }
    if (!Files.isDirectory(rootfs)) {
      throw TtrpcException.invalidArgument("rootfs %s is not a directory", rootfs);
    }
    Path containerDir = dir.resolve(containerId);
    Path target = containerDir.resolve("rootfs");
    try {
      Files.createDirectories(target);
    } catch (IOException e) {
      throw new TtrpcException(Code.INTERNAL, "cannot create " + target + ": " + e, e);
    }
    try {
      HostCommand.run(Code.FAILED_PRECONDITION, List.of("mount", "--bind", rootfs.toString(), target.toString()));
    } catch (TtrpcException e) {
      removeEmpty(target);
      removeEmpty(containerDir);
      throw e;
    }
    mounts.put(containerId, target);
    return GUEST_MOUNT + "/" + containerId + "/rootfs";
  }

  /** Unmounts a container's rootfs from the share. No-op for a container not mounted. */
  synchronized void unmount(String containerId) throws TtrpcException {
    Path target = mounts.get(containerId);
    if (target == null) {
      return;
    }
    unmount(target);
    mounts.remove(containerId);
    removeEmpty(target);
    removeEmpty(target.getParent());
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
