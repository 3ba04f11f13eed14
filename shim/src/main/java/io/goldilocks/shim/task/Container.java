package io.goldilocks.shim.task;

import io.goldilocks.shim.sandbox.ProcessRef;
import io.goldilocks.ttrpc.TtrpcException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One task: a container with its init process and its exec processes. Thread-safe (the exec map is concurrent;
 * processes guard themselves).
 */
public final class Container {
  private final String id;
  private final Path bundle;
  private final Path rootfs;
  private final boolean mountedRootfs;
  private final Process init;
  private final Map<String, Process> execs = new ConcurrentHashMap<>();

  public Container(String id, Path bundle, Path rootfs, boolean mountedRootfs, Process init) {
    this.id = id;
    this.bundle = bundle;
    this.rootfs = rootfs;
    this.mountedRootfs = mountedRootfs;
    this.init = init;
  }

  public String id() {
    return id;
  }

  public Path bundle() {
    return bundle;
  }

  /** Where the rootfs is on the host. */
  public Path rootfs() {
    return rootfs;
  }

  /** Whether the shim mounted {@link #rootfs()} (and must unmount it). */
  public boolean mountedRootfs() {
    return mountedRootfs;
  }

  public Process init() {
    return init;
  }

  /** The init process ({@code execId} empty) or an exec process; NOT_FOUND when there is none. */
  public Process process(String execId) throws TtrpcException {
    if (execId.isEmpty()) {
      return init;
    }
    Process exec = execs.get(execId);
    if (exec == null) {
      throw TtrpcException.notFound("exec %s of container %s not found", execId, id);
    }
    return exec;
  }

  /** Registers an exec; ALREADY_EXISTS for an id in use. */
  public void addExec(Process exec) throws TtrpcException {
    if (execs.putIfAbsent(exec.ref().execId(), exec) != null) {
      throw TtrpcException.alreadyExists("exec %s already exists in container %s", exec.ref().execId(), id);
    }
  }

  /** Reserves an exec id before the slow work of creating it; ALREADY_EXISTS when taken. */
  public void requireNewExec(String execId) throws TtrpcException {
    if (execs.containsKey(execId)) {
      throw TtrpcException.alreadyExists("exec %s already exists in container %s", execId, id);
    }
  }

  public void removeExec(String execId) {
    execs.remove(execId);
  }

  public List<Process> execs() {
    return List.copyOf(execs.values());
  }

  public ProcessRef ref(String execId) {
    return new ProcessRef(id, execId);
  }
}
