package io.goldilocks.agent.process;

import io.goldilocks.ttrpc.TtrpcException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A container in the guest: its bundle, its lifecycle state ({@link ContainerState}) and its processes (the init
 * under exec id "" plus the execs). Exit statuses stay here until the container is removed.
 *
 * <p>Thread-safe. {@code state} is written under {@code this} and read lock-free; the exec table is concurrent.
 * Operations that run runc and then change the state (start, pause, resume, remove) hold {@link #operationLock}, so
 * they serialize per container, while lookups, waits and stdio never block behind them.
 */
public final class Container {
  private final String id;
  private final Path bundle;
  private final String cgroupPath;
  private final String groupPath;
  private final GuestProcess init;
  private final ConcurrentMap<String, GuestProcess> execs = new ConcurrentHashMap<>();
  private final ReentrantLock operationLock = new ReentrantLock();
  private volatile ContainerState state = ContainerState.CREATED; // written under this

  Container(String id, Path bundle, String cgroupPath, String groupPath, GuestProcess init) {
    this.id = id;
    this.bundle = bundle;
    this.cgroupPath = cgroupPath;
    this.groupPath = groupPath;
    this.init = init;
  }

  public String id() {
    return id;
  }

  public Path bundle() {
    return bundle;
  }

  /** The container's cgroup (runc's), relative to the cgroup mount. */
  public String cgroupPath() {
    return cgroupPath;
  }

  /** The agent-owned cgroup above {@link #cgroupPath()}; outlives runc's cleanup until removal. */
  public String groupPath() {
    return groupPath;
  }

  public GuestProcess init() {
    return init;
  }

  public ContainerState state() {
    return state;
  }

  ReentrantLock operationLock() {
    return operationLock;
  }

  /** Moves to {@code to}; FAILED_PRECONDITION when the transition is not allowed. */
  synchronized void transition(ContainerState to, String action) throws TtrpcException {
    if (!state.canBecome(to)) {
      throw TtrpcException.failedPrecondition("cannot %s container %s: it is %s", action, id, state);
    }
    state = to;
  }

  /**
   * The init started: CREATED → RUNNING, unless its exit was already recorded (a process that exits at once can beat
   * the start call's own bookkeeping; STOPPED then stays).
   */
  synchronized void started() throws TtrpcException {
    if (state != ContainerState.STOPPED) {
      transition(ContainerState.RUNNING, "start");
    }
  }

  /** Moves to STOPPED from any state (the init exited, start failed, or it was killed before start). */
  synchronized void stopped() {
    state = ContainerState.STOPPED;
  }

  /** The process with {@code execId} ("" = init); NOT_FOUND when unknown. */
  public GuestProcess process(String execId) throws TtrpcException {
    if (execId.isEmpty()) {
      return init;
    }
    GuestProcess p = execs.get(execId);
    if (p == null) {
      throw TtrpcException.notFound("exec %s not found in container %s", execId, id);
    }
    return p;
  }

  /** Registers a new exec; ALREADY_EXISTS for a duplicate id, FAILED_PRECONDITION unless RUNNING. */
  synchronized void addExec(GuestProcess exec) throws TtrpcException {
    state.require(id, "exec in", ContainerState.RUNNING);
    if (execs.putIfAbsent(exec.execId(), exec) != null) {
      throw TtrpcException.alreadyExists("exec %s already exists in container %s", exec.execId(), id);
    }
  }

  /** Forgets an exec that failed to start. */
  void dropExec(String execId) {
    execs.remove(execId);
  }

  /** A snapshot of the exec processes. */
  public List<GuestProcess> execs() {
    return new ArrayList<>(execs.values());
  }

  /** Every process, init first. */
  public List<GuestProcess> processes() {
    List<GuestProcess> all = new ArrayList<>();
    all.add(init);
    all.addAll(execs.values());
    return all;
  }
}
