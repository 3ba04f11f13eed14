package io.goldilocks.shim.sandbox;

import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Sandbox} over a real guest: a {@link GuestVm}, a {@link GuestAgent} and a {@link RootfsShare}. Built by
 * {@link GuestSandboxFactory} once the agent answered, so it starts {@link SandboxState#READY}.
 *
 * <p>Threads: one waiter per started process ({@link ExitWaiter}), the stdio pumps of each process, one event
 * thread, one watchdog, one OOM-event reader. Thread-safe: {@link #lock} guards the state and the container map;
 * each process guards its own state, so calls for different processes never wait for each other's guest calls.
 */
final class GuestSandbox implements Sandbox {
  private static final Logger log = LoggerFactory.getLogger(GuestSandbox.class);
  /** Container and exec ids: containerd's identifier rule and bound. */
  private static final int MAX_ID = 76;
  /** The agent's bounds on what it accepts; checked here so the caller gets a clear error before any guest call. */
  private static final int MAX_SPEC = 1 << 20;
  private static final int MAX_PROCESS_SPEC = 256 << 10;
  private static final int MAX_RESOURCES = 64 << 10;
  private static final Duration DESTROY_DEADLINE = Duration.ofSeconds(5);
  private static final Duration POWER_OFF_GRACE = Duration.ofSeconds(2);
  private static final Duration TEARDOWN_WAIT = Duration.ofSeconds(60);

  private final SandboxConfig config;
  private final GuestVm vm;
  private final GuestAgent agent;
  private final RootfsShare share;
  private final ContainerStorage storage;
  private final EventDispatcher events;
  private final Watchdog watchdog;
  private final ExitWaiter exits;
  private final CountDownLatch tornDown = new CountDownLatch(1);

  private final Object lock = new Object();
  /** Guarded by lock. */
  private SandboxState state = SandboxState.READY;
  /** Guarded by lock. */
  private TtrpcException failure;
  /** Guarded by lock. */
  private final Map<String, Container> containers = new LinkedHashMap<>();

  private GuestSandbox(SandboxConfig config, GuestVm vm, GuestAgent agent, RootfsShare share,
      ContainerStorage storage) {
    this.config = config;
    this.vm = vm;
    this.agent = agent;
    this.share = share;
    this.storage = storage;
    this.events = new EventDispatcher(config.id());
    this.watchdog = new Watchdog(config.id(), config.healthInterval(), config.healthDeadline(),
        agent::check, this::fail);
    this.exits = new ExitWaiter(config.id(), agent, config.callDeadline(), events, this::state);
  }

  /**
   * Takes ownership of a booted VM whose agent answered, and starts watching it. Each container's storage is planned
   * by {@code storage} and executed on {@code share}.
   */
  static GuestSandbox start(SandboxConfig config, GuestVm vm, GuestAgent agent, RootfsShare share,
      ContainerStorage storage) {
    GuestSandbox sandbox = new GuestSandbox(config, vm, agent, share, storage);
    vm.onExit(reason -> sandbox.fail("the VM exited: " + reason));
    agent.onClose(() -> sandbox.fail("the connection to the agent was lost"));
    sandbox.watchdog.start();
    sandbox.subscribeOom();
    return sandbox;
  }

  @Override
  public String id() {
    return config.id();
  }

  @Override
  public SandboxState state() {
    synchronized (lock) {
      return state;
    }
  }

  @Override
  public Optional<TtrpcException> failure() {
    synchronized (lock) {
      return Optional.ofNullable(failure);
    }
  }

  // --- containers -----------------------------------------------------------------------------------------------

  @Override
  public void createContainer(ContainerConfig cfg) throws TtrpcException {
    requireId(cfg.id(), "container");
    requireSize("OCI spec", cfg.ociSpec(), MAX_SPEC);
    ProcessRef ref = ProcessRef.init(cfg.id());
    StdioPumps pumps = new StdioPumps(ref, cfg.stdio(), cfg.terminal());
    Container container = new Container(cfg.id(), new GuestProcess(ref, cfg.terminal(), null, pumps));
    synchronized (lock) {
      requireReady();
      if (containers.containsKey(cfg.id())) {
        throw TtrpcException.alreadyExists("container %s already exists in sandbox %s", cfg.id(), id());
      }
      containers.put(cfg.id(), container); // reserves the id while the guest works
    }
    try {
      if (!Files.isDirectory(cfg.rootfs())) {
        throw TtrpcException.invalidArgument("rootfs %s is not a directory", cfg.rootfs());
      }
      String guestRootfs = share.execute(cfg.id(), storage.plan(config, cfg));
      try {
        agent.createContainer(cfg.id(), cfg.ociSpec(), guestRootfs, pumps.flags());
      } catch (TtrpcException e) {
        share.unmount(cfg.id());
        throw e;
      }
    } catch (TtrpcException e) {
      synchronized (lock) {
        containers.remove(cfg.id());
      }
      throw e;
    }
  }

  @Override
  public void exec(ExecConfig cfg) throws TtrpcException {
    requireId(cfg.execId(), "exec");
    requireSize("process spec", cfg.processSpec(), MAX_PROCESS_SPEC);
    Container container = container(cfg.containerId());
    container.init().require(ProcessState.RUNNING, "exec into");
    ProcessRef ref = cfg.ref();
    StdioPumps pumps = new StdioPumps(ref, cfg.stdio(), cfg.terminal());
    container.addExec(new GuestProcess(ref, cfg.terminal(), cfg.processSpec(), pumps));
  }

  @Override
  public int start(ProcessRef ref) throws TtrpcException {
    Container container = container(ref.containerId());
    GuestProcess process = container.process(ref.execId());
    synchronized (process) {
      process.require(ProcessState.CREATED, "start");
      if (!ref.isInit()) {
        container.init().require(ProcessState.RUNNING, "start an exec in");
      }
      requireReadyNow();
      int pid = ref.isInit()
          ? agent.startContainer(ref.containerId())
          : agent.execProcess(ref, process.execSpec(), process.pumps().flags());
      process.started(pid);
    }
    try {
      process.pumps().start(agent);
    } catch (TtrpcException e) {
      log.warn("{}: cannot connect its stdio: {}", ref, e.getMessage()); // it runs; its exit is still awaited
    }
    exits.watch(container, process);
    return process.pid();
  }

  @Override
  public void signal(ProcessRef ref, int signal, boolean all) throws TtrpcException {
    if (signal < 1 || signal > 64) {
      throw TtrpcException.invalidArgument("signal %d out of range 1..64", signal);
    }
    if (all && !ref.isInit()) {
      throw TtrpcException.invalidArgument("signalling all processes needs the container's init, not %s", ref);
    }
    GuestProcess process = process(ref);
    requireReadyNow();
    if (process.state() == ProcessState.CREATED && ref.isInit()) {
      // Nothing runs in the guest before start: the container just ends, as a killed one.
      process.pumps().closeSinks();
      exits.report(process, ExitStatus.exited(128 + signal, Instant.now()));
      return;
    }
    process.requireAlive("signal");
    agent.signal(ref, signal, all);
  }

  @Override
  public ExitStatus waitProcess(ProcessRef ref) throws TtrpcException, InterruptedException {
    return process(ref).awaitExit();
  }

  @Override
  public ProcessStatus status(ProcessRef ref) throws TtrpcException {
    return process(ref).snapshot();
  }

  @Override
  public List<ProcessInfo> pids(String containerId) throws TtrpcException {
    Container container = container(containerId);
    requireReadyNow();
    if (!container.init().state().isAlive()) {
      return List.of();
    }
    return agent.listPids(containerId);
  }

  @Override
  public ContainerStats stats(String containerId) throws TtrpcException {
    container(containerId).init().requireAlive("read the stats of");
    requireReadyNow();
    return agent.stats(containerId);
  }

  @Override
  public void update(String containerId, byte[] linuxResources) throws TtrpcException {
    requireSize("resources", linuxResources, MAX_RESOURCES);
    container(containerId).init().requireAlive("update");
    requireReadyNow();
    agent.update(containerId, linuxResources);
  }

  @Override
  public void pause(String containerId) throws TtrpcException {
    moveInit(containerId, "pause", ProcessState.RUNNING, agent::pause, ProcessState.PAUSED);
  }

  @Override
  public void resume(String containerId) throws TtrpcException {
    moveInit(containerId, "resume", ProcessState.PAUSED, agent::resume, ProcessState.RUNNING);
  }

  /** A guest call on a container. */
  private interface ContainerCall {
    void run(String containerId) throws TtrpcException;
  }

  /** Moves the container's init from {@code from} to {@code to} once the guest did {@code call}. */
  private void moveInit(String containerId, String verb, ProcessState from, ContainerCall call, ProcessState to)
      throws TtrpcException {
    GuestProcess init = container(containerId).init();
    synchronized (init) {
      init.require(from, verb);
      requireReadyNow();
      call.run(containerId);
      init.moveTo(to);
    }
  }

  @Override
  public void resizeTty(ProcessRef ref, int columns, int rows) throws TtrpcException {
    if (columns < 1 || columns > 65535 || rows < 1 || rows > 65535) {
      throw TtrpcException.invalidArgument("terminal size %dx%d out of range 1..65535", columns, rows);
    }
    GuestProcess process = process(ref);
    if (!process.terminal()) {
      throw TtrpcException.failedPrecondition("%s has no terminal", ref);
    }
    process.requireAlive("resize the terminal of");
    requireReadyNow();
    agent.resizeTty(ref, columns, rows);
  }

  @Override
  public void closeStdin(ProcessRef ref) throws TtrpcException {
    GuestProcess process = process(ref);
    if (!process.state().isAlive()) {
      return; // nothing reads it any more
    }
    requireReadyNow();
    agent.closeStdin(ref);
  }

  @Override
  public ExitStatus removeContainer(String containerId) throws TtrpcException {
    Container container = container(containerId);
    GuestProcess init = container.init();
    synchronized (init) {
      if (init.state().isAlive()) {
        throw TtrpcException.failedPrecondition("cannot remove container %s: it is %s", containerId, init.state());
      }
      requireReadyNow();
      boolean neverStarted = init.state() == ProcessState.CREATED;
      agent.removeContainer(containerId, neverStarted);
      if (neverStarted) {
        init.pumps().closeSinks();
        exits.report(init, ExitStatus.exited(0, Instant.now()));
      }
    }
    share.unmount(containerId);
    synchronized (lock) {
      containers.remove(containerId);
    }
    return init.exitStatus().orElseThrow();
  }

  @Override
  public ExitStatus removeExec(ProcessRef ref) throws TtrpcException {
    if (ref.isInit()) {
      throw TtrpcException.invalidArgument("%s is an init process: remove the container instead", ref);
    }
    Container container = container(ref.containerId());
    GuestProcess exec = container.process(ref.execId());
    synchronized (exec) {
      if (exec.state().isAlive()) {
        throw TtrpcException.failedPrecondition("cannot remove exec %s: it is %s", ref, exec.state());
      }
      if (exec.state() == ProcessState.CREATED) {
        exec.pumps().closeSinks();
        exec.finish(ExitStatus.exited(0, Instant.now()), () -> { }); // never ran: no exit to report
      }
      container.removeExec(ref.execId());
    }
    return exec.exitStatus().orElseThrow();
  }

  @Override
  public EventSubscription subscribe(Consumer<SandboxEvent> listener) {
    return events.subscribe(listener);
  }

  // --- lifecycle ------------------------------------------------------------------------------------------------

  @Override
  public void shutdown() {
    boolean mine;
    synchronized (lock) {
      mine = state == SandboxState.READY;
      if (mine) {
        state = SandboxState.STOPPING;
      }
    }
    if (mine) {
      teardown(false);
      synchronized (lock) {
        state = SandboxState.STOPPED;
      }
    }
    awaitTeardown();
  }

  /** The sandbox is lost: kill the VM, report every process lost, clean up. Once; ignored while shutting down. */
  private void fail(String reason) {
    synchronized (lock) {
      if (state != SandboxState.READY) {
        return;
      }
      state = SandboxState.FAILED;
      failure = TtrpcException.unavailable("sandbox %s is lost: %s", id(), reason);
    }
    log.warn("sandbox {} lost: {}", id(), reason);
    daemon("sandbox-" + id() + "-teardown", () -> teardown(true)).start();
  }

  private void teardown(boolean lost) {
    try {
      watchdog.close();
      if (lost) {
        vm.kill();
      } else {
        stopContainers();
      }
      agent.close();
      vm.powerOff(POWER_OFF_GRACE);
      reportRemainingLost();
      vm.close();
      share.close();
      deleteIfEmpty(config.sandboxDir());
      if (lost) {
        events.publish(new SandboxEvent.SandboxFailed(id(), failure().map(Throwable::getMessage).orElse("lost"),
            Instant.now()));
      }
    } catch (RuntimeException e) {
      log.error("tearing down sandbox {}", id(), e);
    } finally {
      events.close();
      tornDown.countDown();
    }
  }

  /** Asks the agent to kill every container and gives their exits a moment to arrive. */
  private void stopContainers() {
    boolean anyAlive = allProcesses().stream().anyMatch(p -> p.state().isAlive());
    if (!anyAlive) {
      return;
    }
    try {
      agent.destroySandbox(id());
      long end = System.nanoTime() + DESTROY_DEADLINE.toNanos();
      for (GuestProcess process : allProcesses()) {
        if (process.state().isAlive()) {
          process.awaitExit(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
        }
      }
    } catch (TtrpcException e) {
      log.warn("sandbox {}: the agent could not stop the containers: {}", id(), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Every process whose exit is not known yet is reported lost: execs first, then their container's init. */
  private void reportRemainingLost() {
    Instant now = Instant.now();
    for (Container container : containers()) {
      List<GuestProcess> order = new ArrayList<>(container.execs());
      order.add(container.init());
      for (GuestProcess process : order) {
        process.pumps().closeSinks();
        exits.report(process, ExitStatus.lost(now));
      }
    }
  }

  private void awaitTeardown() {
    boolean interrupted = false;
    long end = System.nanoTime() + TEARDOWN_WAIT.toNanos();
    while (tornDown.getCount() > 0 && System.nanoTime() < end) {
      try {
        tornDown.await(end - System.nanoTime(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  // --- events -------------------------------------------------------------------------------------------------

  private void subscribeOom() {
    try {
      agent.subscribeOom(containerId -> events.publish(new SandboxEvent.OomKilled(id(), containerId, Instant.now())));
    } catch (TtrpcException e) {
      log.warn("sandbox {}: no OOM events: {}", id(), e.getMessage());
    }
  }

  // --- lookups and guards ---------------------------------------------------------------------------------------

  private Container container(String containerId) throws TtrpcException {
    synchronized (lock) {
      Container container = containers.get(containerId);
      if (container == null) {
        if (state == SandboxState.FAILED) {
          throw new TtrpcException(Code.UNAVAILABLE, failure.getMessage(), failure);
        }
        throw TtrpcException.notFound("container %s not found in sandbox %s", containerId, id());
      }
      return container;
    }
  }

  private GuestProcess process(ProcessRef ref) throws TtrpcException {
    return container(ref.containerId()).process(ref.execId());
  }

  private List<Container> containers() {
    synchronized (lock) {
      return new ArrayList<>(containers.values());
    }
  }

  private List<GuestProcess> allProcesses() {
    List<GuestProcess> all = new ArrayList<>();
    for (Container container : containers()) {
      all.addAll(container.execs());
      all.add(container.init());
    }
    return all;
  }

  private void requireReady() throws TtrpcException {
    if (state == SandboxState.FAILED) {
      throw new TtrpcException(Code.UNAVAILABLE, failure.getMessage(), failure);
    }
    if (state != SandboxState.READY) {
      throw TtrpcException.failedPrecondition("sandbox %s is %s", id(), state);
    }
  }

  private void requireReadyNow() throws TtrpcException {
    synchronized (lock) {
      requireReady();
    }
  }

  private static void requireId(String id, String what) throws TtrpcException {
    if (!SandboxConfig.isValidIdentifier(id, MAX_ID)) {
      throw TtrpcException.invalidArgument("invalid %s id '%s': want [A-Za-z0-9]+([._-][A-Za-z0-9]+)*, at most %d "
          + "characters", what, id, MAX_ID);
    }
  }

  private static void requireSize(String what, byte[] data, int max) throws TtrpcException {
    if (data.length == 0) {
      throw TtrpcException.invalidArgument("the %s is empty", what);
    }
    if (data.length > max) {
      throw TtrpcException.invalidArgument("the %s is %d bytes, more than the %d allowed", what, data.length, max);
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    return thread;
  }

  private static void deleteIfEmpty(Path dir) {
    try {
      Files.deleteIfExists(dir);
    } catch (java.nio.file.DirectoryNotEmptyException e) {
      log.debug("{} not empty yet (the plugin host removes its files when it closes)", dir);
    } catch (java.io.IOException e) {
      log.warn("cannot remove {}: {}", dir, e.toString());
    }
  }
}
