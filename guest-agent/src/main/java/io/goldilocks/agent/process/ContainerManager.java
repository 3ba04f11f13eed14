package io.goldilocks.agent.process;

import io.goldilocks.agent.event.AgentEvent;
import io.goldilocks.agent.event.EventQueue;
import io.goldilocks.ttrpc.TtrpcException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The guest's containers and their processes: create, start, exec, signal, wait, pause/resume, update, remove.
 * Every operation is a short recipe over {@link Container} (state), {@link ProcessLauncher} (runc in the
 * foreground) and {@link Runc} (control commands).
 *
 * <p>Exit ordering: a container's init exit event is published only after every exec of that container exited
 * (they die with the init's pid namespace), at most {@link #EXEC_DRAIN} later. WaitProcess sees each status as soon
 * as runc reported it.
 *
 * <p>Thread-safe: the table is concurrent; each container serializes its own state-changing operations.
 */
public final class ContainerManager {
  static final Duration EXEC_DRAIN = Duration.ofSeconds(10);
  private static final Duration REMOVE_KILL_WAIT = Duration.ofSeconds(10);
  private static final int SIGKILL = 9;

  private final Path bundles;
  private final Runc runc;
  private final GuestSpecFactory specs;
  private final CommandRunner commands;
  private final CgroupStats cgroups;
  private final EventQueue events;
  private final OomMonitor oom;
  private final ProcessLauncher launcher;
  private final int outputCapacity;
  private final ConcurrentMap<String, Container> containers = new ConcurrentHashMap<>();

  /** Builds the GuestSpec for the current sandbox (its files may change with CreateSandbox). */
  @FunctionalInterface
  public interface GuestSpecFactory {
    GuestSpec current();
  }

  /**
   * @param bundles directory under which each container gets its runc bundle directory
   * @param outputCapacity bytes buffered per output stream while no reader is attached
   */
  public ContainerManager(Path bundles, Runc runc, GuestSpecFactory specs, CommandRunner commands,
      CgroupStats cgroups, EventQueue events, int outputCapacity) {
    this.bundles = bundles;
    this.runc = runc;
    this.specs = specs;
    this.commands = commands;
    this.cgroups = cgroups;
    this.events = events;
    this.outputCapacity = outputCapacity;
    this.oom = new OomMonitor(cgroups, events);
    this.launcher = new ProcessLauncher(runc, this::processExited);
  }

  /** Starts the slow OOM poll (the agent main does; tests may not). */
  public void startOomPolling(Duration interval) {
    oom.startPolling(containers::values, interval);
  }

  /** Writes the bundle (config.json for the guest) and registers the container in CREATED. */
  public void create(CreateConfig config) throws TtrpcException {
    String id = config.containerId();
    if (!Files.isDirectory(config.rootfs())) {
      throw TtrpcException.failedPrecondition("rootfs %s of container %s is not a directory in the guest",
          config.rootfs(), id);
    }
    GuestSpec spec = specs.current();
    String guestSpec = spec.rewrite(id, config.ociSpecJson(), config.rootfs(), config.stdio().terminal());
    Path bundle = bundles.resolve(id);
    GuestProcess init = new GuestProcess(id, "", config.stdio(), outputCapacity);
    if (config.stdio().terminal()) {
      GuestSpec.consoleSize(config.ociSpecJson()).ifPresent(init::startSize);
    }
    Container c = new Container(id, bundle, spec.cgroupPath(id), spec.groupPath(id), init);
    if (containers.putIfAbsent(id, c) != null) {
      throw TtrpcException.alreadyExists("container %s already exists", id);
    }
    try {
      Files.createDirectories(bundle);
      Files.writeString(bundle.resolve("config.json"), guestSpec, StandardCharsets.UTF_8);
    } catch (IOException e) {
      containers.remove(id, c);
      deleteTree(bundle);
      throw TtrpcException.internal("cannot write the bundle of %s: %s", id, e.getMessage());
    }
  }

  /** Runs the init process; returns its guest pid. */
  public long start(String id, Instant deadline) throws TtrpcException, InterruptedException {
    Container c = get(id);
    c.operationLock().lock();
    try {
      c.state().require(id, "start", ContainerState.CREATED);
      try {
        long pid = launcher.startInit(c, deadline);
        c.started();
        return pid;
      } catch (TtrpcException e) {
        c.stopped();
        throw e;
      }
    } finally {
      c.operationLock().unlock();
    }
  }

  /** Runs an exec process in a running container; returns its guest pid. */
  public long exec(ExecConfig config, Instant deadline) throws TtrpcException, InterruptedException {
    Container c = get(config.containerId());
    String processJson = GuestSpec.execProcess(config.processJson(), config.stdio().terminal());
    GuestProcess exec = new GuestProcess(c.id(), config.execId(), config.stdio(), outputCapacity);
    if (config.stdio().terminal()) {
      GuestSpec.execConsoleSize(config.processJson()).ifPresent(exec::startSize);
    }
    c.addExec(exec);
    try {
      return launcher.startExec(c, exec, processJson, deadline);
    } catch (TtrpcException | InterruptedException e) {
      exec.markExitReported(); // no exit event will come: do not hold up the init's
      c.dropExec(exec.execId());
      throw e;
    }
  }

  /** Sends a signal to a process ({@code all}: every process of the container, init only). */
  public void signal(String id, String execId, int signal, boolean all) throws TtrpcException {
    Container c = get(id);
    GuestProcess p = c.process(execId);
    if (all && !p.isInit()) {
      throw TtrpcException.invalidArgument("signal to all processes is for the init only, not exec %s", execId);
    }
    if (p.hasExited()) {
      throw TtrpcException.notFound("%s already exited", p.describe());
    }
    if (p.isInit() && c.state() == ContainerState.CREATED) {
      killBeforeStart(c, signal);
      return;
    }
    try {
      if (p.isInit()) {
        runc.kill(id, signal, all);
      } else {
        commands.runChecked(List.of("kill", "-" + signal, Long.toString(p.pid())), null, Duration.ofSeconds(30));
      }
    } catch (TtrpcException e) {
      if (exitsWithin(p, Duration.ofMillis(500))) {
        throw TtrpcException.notFound("%s already exited", p.describe());
      }
      throw e;
    }
  }

  /** A container never started has no process to signal: it simply ends, as if killed by that signal. */
  private void killBeforeStart(Container c, int signal) throws TtrpcException {
    c.operationLock().lock();
    try {
      c.state().require(c.id(), "kill", ContainerState.CREATED);
      c.stopped();
      c.init().exited(new ExitStatus(128 + signal, Instant.now()));
      publishExit(c.init());
    } finally {
      c.operationLock().unlock();
    }
  }

  /** Waits for a process's exit; DEADLINE_EXCEEDED at the deadline. */
  public ExitStatus await(String id, String execId, Instant deadline)
      throws TtrpcException, InterruptedException {
    GuestProcess p = get(id).process(execId);
    return p.awaitExit(Duration.between(Instant.now(), deadline));
  }

  /** Every pid in the container, with the exec ids of exec processes. */
  public List<ProcessPid> pids(String id) throws TtrpcException {
    Container c = get(id);
    c.state().require(id, "list pids of", ContainerState.RUNNING, ContainerState.PAUSED);
    List<ProcessPid> out = new ArrayList<>();
    for (long pid : runc.ps(id)) {
      String execId = "";
      for (GuestProcess e : c.execs()) {
        if (e.pid() == pid && !e.hasExited()) {
          execId = e.execId();
        }
      }
      out.add(new ProcessPid(pid, execId));
    }
    return out;
  }

  public void pause(String id) throws TtrpcException {
    changeFrozen(id, true);
  }

  public void resume(String id) throws TtrpcException {
    changeFrozen(id, false);
  }

  private void changeFrozen(String id, boolean freeze) throws TtrpcException {
    Container c = get(id);
    c.operationLock().lock();
    try {
      c.state().require(id, freeze ? "pause" : "resume", freeze ? ContainerState.RUNNING : ContainerState.PAUSED);
      if (freeze) {
        runc.pause(id);
      } else {
        runc.resume(id);
      }
      c.transition(freeze ? ContainerState.PAUSED : ContainerState.RUNNING, freeze ? "pause" : "resume");
    } finally {
      c.operationLock().unlock();
    }
  }

  /** Applies new LinuxResources (JSON) with {@code runc update}; INVALID_ARGUMENT unless it is a JSON object. */
  public void update(String id, byte[] resourcesJson) throws TtrpcException {
    Container c = get(id);
    try {
      io.goldilocks.agent.json.Json.parseObject(new String(resourcesJson, StandardCharsets.UTF_8));
    } catch (io.goldilocks.agent.json.JsonException e) {
      throw TtrpcException.invalidArgument("resources of %s are not a JSON object: %s", id, e.getMessage());
    }
    c.state().require(id, "update", ContainerState.RUNNING, ContainerState.PAUSED);
    runc.update(id, resourcesJson);
  }

  /** The container's cgroup v2 metrics. */
  public CgroupStats.Snapshot stats(String id) throws TtrpcException {
    Container c = get(id);
    c.state().require(id, "read stats of", ContainerState.RUNNING, ContainerState.PAUSED);
    return cgroups.read(c.cgroupPath());
  }

  /**
   * Removes a container: kills it first with {@code force}, deletes runc's state and the bundle, and forgets every
   * kept exit status and buffer. FAILED_PRECONDITION for a running container without force.
   */
  public void remove(String id, boolean force) throws TtrpcException, InterruptedException {
    Container c = get(id);
    c.operationLock().lock();
    try {
      ContainerState s = c.state();
      if ((s == ContainerState.RUNNING || s == ContainerState.PAUSED) && !force) {
        throw TtrpcException.failedPrecondition("container %s is %s; stop it or remove with force", id, s);
      }
      if (s == ContainerState.RUNNING || s == ContainerState.PAUSED) {
        killForRemoval(c, s == ContainerState.PAUSED);
      }
      if (c.init().runc() != null) {
        runc.deleteForce(id);
      }
      containers.remove(id, c);
      oom.forget(id);
      c.processes().forEach(GuestProcess::release);
      cgroups.removeEmpty(c.groupPath());
      deleteTree(c.bundle());
    } finally {
      c.operationLock().unlock();
    }
  }

  private void killForRemoval(Container c, boolean paused) throws TtrpcException, InterruptedException {
    runc.kill(c.id(), SIGKILL, true);
    if (paused) {
      try {
        runc.resume(c.id()); // frozen tasks die only once thawed
      } catch (TtrpcException e) {
        // runc kill --all already thawed it (cgroup v1 freezes, signals, thaws), or it is gone: nothing to do
      }
    }
    List<GuestProcess> all = c.processes();
    CompletableFuture<?>[] exits = all.stream().map(GuestProcess::exitFuture).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(exits).get(REMOVE_KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw TtrpcException.internal("container %s did not exit within %s of SIGKILL", c.id(), REMOVE_KILL_WAIT);
    }
  }

  /** Forgets an exited exec: FAILED_PRECONDITION while it runs. */
  public void removeExec(String id, String execId) throws TtrpcException {
    Container c = get(id);
    GuestProcess p = c.process(execId);
    if (!p.hasExited()) {
      throw TtrpcException.failedPrecondition("%s is still running", p.describe());
    }
    c.dropExec(execId);
    p.release();
    for (String suffix : new String[] {".json", ".pid", ".log"}) {
      try {
        Files.deleteIfExists(c.bundle().resolve("exec-" + execId + suffix));
      } catch (IOException e) {
        // a leftover file is harmless; the bundle goes with the container
      }
    }
  }

  /** Force-removes every container (DestroySandbox); returns the ids that could not be removed. */
  public List<String> removeAll() throws InterruptedException {
    List<String> failed = new ArrayList<>();
    for (String id : new ArrayList<>(containers.keySet())) {
      try {
        remove(id, true);
      } catch (TtrpcException e) {
        failed.add(id + ": " + e.getMessage());
      }
    }
    return failed;
  }

  /** The container; NOT_FOUND when unknown. */
  public Container get(String id) throws TtrpcException {
    Container c = containers.get(id);
    if (c == null) {
      throw TtrpcException.notFound("container %s not found", id);
    }
    return c;
  }

  /** A snapshot of all containers. */
  public Collection<Container> all() {
    return new ArrayList<>(containers.values());
  }

  /**
   * Records a started process's exit. The container is STOPPED before the init's status becomes visible, so a
   * caller whose wait returned sees the stopped container (and may remove it).
   */
  private void processExited(GuestProcess p, ExitStatus status) {
    Container c = containers.get(p.containerId());
    if (c != null && p.isInit() && c.init() == p) {
      c.stopped();
    }
    p.exited(status);
    if (c == null || c.init() != p && !c.execs().contains(p)) {
      p.markExitReported();
      return; // removed meanwhile
    }
    oom.check(c);
    if (!p.isInit()) {
      publishExit(p);
      return;
    }
    // Completed after each exec's event is queued (not merely after its exit), so the order holds.
    CompletableFuture<?>[] execEvents = c.execs().stream().map(GuestProcess::exitReported)
        .toArray(CompletableFuture[]::new);
    CompletableFuture.allOf(execEvents).orTimeout(EXEC_DRAIN.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((ok, timeout) -> publishExit(p));
  }

  private void publishExit(GuestProcess p) {
    ExitStatus s = p.exitFuture().getNow(null);
    if (s != null) {
      events.publish(new AgentEvent.ProcessExited(p.containerId(), p.execId(), p.pid(), s));
    }
    p.markExitReported();
  }

  private static boolean exitsWithin(GuestProcess p, Duration d) {
    try {
      p.exitFuture().get(d.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // Best effort: a leftover bundle directory is harmless and named after the container.
    }
  }
}
