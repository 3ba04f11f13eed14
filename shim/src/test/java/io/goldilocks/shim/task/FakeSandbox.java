package io.goldilocks.shim.task;

import io.goldilocks.shim.sandbox.ContainerConfig;
import io.goldilocks.shim.sandbox.ContainerStats;
import io.goldilocks.shim.sandbox.EventSubscription;
import io.goldilocks.shim.sandbox.ExecConfig;
import io.goldilocks.shim.sandbox.ExitStatus;
import io.goldilocks.shim.sandbox.ProcessInfo;
import io.goldilocks.shim.sandbox.ProcessRef;
import io.goldilocks.shim.sandbox.ProcessState;
import io.goldilocks.shim.sandbox.ProcessStatus;
import io.goldilocks.shim.sandbox.Sandbox;
import io.goldilocks.shim.sandbox.SandboxEvent;
import io.goldilocks.shim.sandbox.SandboxState;
import io.goldilocks.shim.sandbox.Stdio;
import io.goldilocks.ttrpc.TtrpcException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A Sandbox without a VM, for component tests of the shim: processes are bookkeeping; a test makes them print and
 * exit ({@link #print}, {@link #exit}); signals end them with 128 + signal. Events go to listeners on one sandbox
 * thread, in order, as the real sandbox delivers them. Named a fake because it runs nothing.
 *
 * <p>Thread-safe (one lock).
 */
public final class FakeSandbox implements Sandbox {
  private final String id;
  private final ExecutorService eventThread = Executors.newSingleThreadExecutor();
  private final List<Consumer<SandboxEvent>> listeners = new CopyOnWriteArrayList<>();
  /** Guarded by this. */
  private final Map<ProcessRef, FakeProcess> processes = new LinkedHashMap<>();
  /** Guarded by this. */
  private SandboxState state = SandboxState.READY;
  /** Guarded by this. */
  private int nextPid = 100;
  /** Guarded by this: when set, a started process exits with this code before start() returns. */
  private Integer exitOnStart;
  public final List<String> calls = new CopyOnWriteArrayList<>();

  static final class FakeProcess {
    final ProcessRef ref;
    final Stdio stdio;
    final boolean terminal;
    final byte[] spec;
    ProcessState state = ProcessState.CREATED;
    int pid;
    final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();

    FakeProcess(ProcessRef ref, Stdio stdio, boolean terminal, byte[] spec) {
      this.ref = ref;
      this.stdio = stdio;
      this.terminal = terminal;
      this.spec = spec;
    }
  }

  public FakeSandbox(String id) {
    this.id = id;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public synchronized SandboxState state() {
    return state;
  }

  @Override
  public Optional<TtrpcException> failure() {
    return Optional.empty();
  }

  @Override
  public synchronized void createContainer(ContainerConfig config) throws TtrpcException {
    requireReady();
    calls.add("createContainer " + config.id());
    ProcessRef ref = ProcessRef.init(config.id());
    if (processes.containsKey(ref)) {
      throw TtrpcException.alreadyExists("container %s exists", config.id());
    }
    processes.put(ref, new FakeProcess(ref, config.stdio(), config.terminal(), config.ociSpec()));
  }

  @Override
  public synchronized void exec(ExecConfig config) throws TtrpcException {
    requireReady();
    FakeProcess init = get(ProcessRef.init(config.containerId()));
    if (init.state != ProcessState.RUNNING) {
      throw TtrpcException.failedPrecondition("container %s is not running", config.containerId());
    }
    if (processes.containsKey(config.ref())) {
      throw TtrpcException.alreadyExists("exec %s exists", config.ref());
    }
    calls.add("exec " + config.ref());
    processes.put(config.ref(), new FakeProcess(config.ref(), config.stdio(), config.terminal(), config.processSpec()));
  }

  @Override
  public int start(ProcessRef ref) throws TtrpcException {
    int pid;
    Integer code;
    synchronized (this) {
      requireReady();
      FakeProcess p = get(ref);
      if (p.state != ProcessState.CREATED) {
        throw TtrpcException.failedPrecondition("%s is not created", ref);
      }
      p.state = ProcessState.RUNNING;
      p.pid = nextPid++;
      pid = p.pid;
      code = exitOnStart;
      calls.add("start " + ref);
    }
    if (code != null) {
      exit(ref, code);
      awaitEvents();
    }
    return pid;
  }

  /** Makes every later start() end the process (and deliver its exit) before start() returns. */
  public synchronized void exitOnStart(int code) {
    exitOnStart = code;
  }

  @Override
  public void signal(ProcessRef ref, int signal, boolean all) throws TtrpcException {
    synchronized (this) {
      requireReady();
      FakeProcess p = get(ref);
      if (p.state == ProcessState.STOPPED) {
        throw TtrpcException.notFound("process already finished");
      }
      calls.add("signal " + ref + " " + signal + (all ? " all" : ""));
    }
    if (signal == 9 || signal == 15) {
      if (all && ref.isInit()) {
        for (FakeProcess exec : execsOf(ref.containerId())) {
          exit(exec.ref, 128 + signal);
        }
      }
      exit(ref, 128 + signal);
    }
  }

  /** The process ends with {@code code}: its streams close and its exit event goes out (execs' before init's). */
  public void exit(ProcessRef ref, int code) {
    FakeProcess p;
    synchronized (this) {
      p = processes.get(ref);
      if (p == null || p.state == ProcessState.STOPPED) {
        return;
      }
      p.state = ProcessState.STOPPED;
    }
    closeQuietly(p.stdio);
    ExitStatus status = ExitStatus.exited(code, Instant.now());
    p.exit.complete(status);
    emit(new SandboxEvent.ProcessExited(id, ref, p.pid, status));
  }

  /** The process prints {@code text} on stdout (or stderr). */
  public void print(ProcessRef ref, String text, boolean toStderr) throws IOException {
    FakeProcess p;
    synchronized (this) {
      p = processes.get(ref);
    }
    (toStderr ? p.stdio.stderr() : p.stdio.stdout()).write(text.getBytes());
    (toStderr ? p.stdio.stderr() : p.stdio.stdout()).flush();
  }

  /** What the process reads on stdin until end of file. */
  public byte[] readStdin(ProcessRef ref) throws IOException {
    FakeProcess p;
    synchronized (this) {
      p = processes.get(ref);
    }
    return p.stdio.stdin().orElseThrow().readAllBytes();
  }

  public synchronized byte[] spec(ProcessRef ref) {
    return processes.get(ref).spec;
  }

  public void oom(String containerId) {
    emit(new SandboxEvent.OomKilled(id, containerId, Instant.now()));
  }

  private void emit(SandboxEvent event) {
    eventThread.execute(() -> listeners.forEach(l -> l.accept(event)));
  }

  /** Waits until every event emitted so far was delivered. */
  public void awaitEvents() {
    try {
      eventThread.submit(() -> {}).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public ExitStatus waitProcess(ProcessRef ref) throws TtrpcException, InterruptedException {
    FakeProcess p;
    synchronized (this) {
      p = get(ref);
    }
    try {
      return p.exit.get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized ProcessStatus status(ProcessRef ref) throws TtrpcException {
    FakeProcess p = get(ref);
    return new ProcessStatus(ref, p.pid, p.state, p.terminal, Optional.ofNullable(p.exit.getNow(null)));
  }

  @Override
  public synchronized List<ProcessInfo> pids(String containerId) throws TtrpcException {
    get(ProcessRef.init(containerId));
    List<ProcessInfo> running = new ArrayList<>();
    for (FakeProcess p : processes.values()) {
      if (p.ref.containerId().equals(containerId) && p.state == ProcessState.RUNNING) {
        running.add(new ProcessInfo(p.pid, p.ref.execId()));
      }
    }
    return running;
  }

  @Override
  public synchronized ContainerStats stats(String containerId) throws TtrpcException {
    get(ProcessRef.init(containerId));
    return new ContainerStats(1500, 1000, 500, 4096 * 1024, 256L << 20, 0, 2, 0, 0);
  }

  @Override
  public synchronized void update(String containerId, byte[] linuxResources) throws TtrpcException {
    get(ProcessRef.init(containerId));
    calls.add("update " + containerId + " " + new String(linuxResources));
  }

  @Override
  public synchronized void pause(String containerId) throws TtrpcException {
    FakeProcess p = get(ProcessRef.init(containerId));
    if (p.state != ProcessState.RUNNING) {
      throw TtrpcException.failedPrecondition("not running");
    }
    p.state = ProcessState.PAUSED;
    calls.add("pause " + containerId);
  }

  @Override
  public synchronized void resume(String containerId) throws TtrpcException {
    FakeProcess p = get(ProcessRef.init(containerId));
    if (p.state != ProcessState.PAUSED) {
      throw TtrpcException.failedPrecondition("not paused");
    }
    p.state = ProcessState.RUNNING;
    calls.add("resume " + containerId);
  }

  @Override
  public synchronized void resizeTty(ProcessRef ref, int columns, int rows) throws TtrpcException {
    get(ref);
    calls.add("resize " + ref + " " + columns + "x" + rows);
  }

  @Override
  public synchronized void closeStdin(ProcessRef ref) throws TtrpcException {
    get(ref);
    calls.add("closeStdin " + ref);
  }

  @Override
  public ExitStatus removeContainer(String containerId) throws TtrpcException {
    FakeProcess init;
    synchronized (this) {
      init = get(ProcessRef.init(containerId));
      if (init.state == ProcessState.RUNNING || init.state == ProcessState.PAUSED) {
        throw TtrpcException.failedPrecondition("container %s is running", containerId);
      }
    }
    if (init.state == ProcessState.CREATED) {
      exit(init.ref, 137);
    }
    synchronized (this) {
      processes.keySet().removeIf(r -> r.containerId().equals(containerId));
      calls.add("removeContainer " + containerId);
    }
    return init.exit.join();
  }

  @Override
  public synchronized ExitStatus removeExec(ProcessRef ref) throws TtrpcException {
    FakeProcess p = get(ref);
    if (p.state == ProcessState.RUNNING) {
      throw TtrpcException.failedPrecondition("%s is running", ref);
    }
    processes.remove(ref);
    calls.add("removeExec " + ref);
    return p.exit.getNow(ExitStatus.exited(137, Instant.now()));
  }

  @Override
  public EventSubscription subscribe(Consumer<SandboxEvent> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  @Override
  public void shutdown() {
    synchronized (this) {
      if (state == SandboxState.STOPPED) {
        return;
      }
      state = SandboxState.STOPPED;
      calls.add("shutdown");
    }
    eventThread.shutdown();
  }

  private synchronized List<FakeProcess> execsOf(String containerId) {
    return processes.values().stream()
        .filter(p -> p.ref.containerId().equals(containerId) && !p.ref.isInit()).toList();
  }

  private FakeProcess get(ProcessRef ref) throws TtrpcException {
    FakeProcess p = processes.get(ref);
    if (p == null) {
      throw TtrpcException.notFound("%s not found", ref);
    }
    return p;
  }

  private void requireReady() throws TtrpcException {
    if (state != SandboxState.READY) {
      throw TtrpcException.failedPrecondition("sandbox is %s", state);
    }
  }

  private static void closeQuietly(Stdio stdio) {
    try {
      stdio.stdout().close();
      stdio.stderr().close();
    } catch (IOException ignored) {
      // test double: a sink that does not close is not the shim's problem here
    }
  }
}
