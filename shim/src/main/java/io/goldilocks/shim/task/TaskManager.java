package io.goldilocks.shim.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.goldilocks.shim.events.EventOrdering;
import io.goldilocks.shim.events.TaskEvent;
import io.goldilocks.shim.io.ProcessIo;
import io.goldilocks.shim.launch.BundleFiles;
import io.goldilocks.shim.rootfs.Mounts;
import io.goldilocks.shim.sandbox.ContainerConfig;
import io.goldilocks.shim.sandbox.ContainerStats;
import io.goldilocks.shim.sandbox.ExecConfig;
import io.goldilocks.shim.sandbox.ExitStatus;
import io.goldilocks.shim.sandbox.ProcessInfo;
import io.goldilocks.shim.sandbox.ProcessRef;
import io.goldilocks.shim.sandbox.Sandbox;
import io.goldilocks.shim.sandbox.SandboxEvent;
import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks of one shim (one sandbox): creates, starts, signals and deletes containers and exec processes in the
 * sandbox, keeps each process's {@link ProcessPhase}, mounts and unmounts rootfs, publishes containerd's events
 * through {@link EventOrdering}, and notices when the last task is gone.
 *
 * <p>Thread-safe: the container map is concurrent; a container id is reserved before the slow work of Create so two
 * Creates of one id cannot both proceed; processes guard their own phase. No lock is held across a call into the
 * sandbox.
 */
public final class TaskManager {
  private static final Logger log = LoggerFactory.getLogger(TaskManager.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SandboxHost host;
  private final EventOrdering events;
  private final String namespace;
  private final Runnable onEmpty;
  private final Map<String, Container> containers = new ConcurrentHashMap<>();
  private final Map<String, Boolean> creating = new ConcurrentHashMap<>();

  public TaskManager(SandboxHost host, EventOrdering events, String namespace, Runnable onEmpty) {
    this.host = host;
    this.events = events;
    this.namespace = namespace;
    this.onEmpty = onEmpty;
  }

  /** Creates a container (booting the sandbox for the first one); returns the init pid containerd records. */
  public int create(CreateConfig config) throws TtrpcException {
    String id = config.id();
    if (containers.containsKey(id) || creating.putIfAbsent(id, Boolean.TRUE) != null) {
      throw TtrpcException.alreadyExists("container %s already exists", id);
    }
    try {
      Container container = createReserved(config);
      containers.put(id, container);
      events.publish(new TaskEvent.Created(id, config.bundle().toString(), config.rootfs(), config.io().stdin(),
          config.io().stdout(), config.io().stderr(), config.io().terminal(), 0));
      return 0;
    } finally {
      creating.remove(id);
    }
  }

  private Container createReserved(CreateConfig config) throws TtrpcException {
    byte[] spec = readSpec(config.bundle());
    // with mounts, the rootfs is <bundle>/rootfs (mounted here, as runc's shim does); without, the spec's root.path
    Path rootfs = config.rootfs().isEmpty() ? specRoot(config.bundle(), spec)
        : config.bundle().resolve(BundleFiles.ROOTFS);
    boolean mounted = false;
    ProcessIo io = null;
    try {
      if (!config.rootfs().isEmpty()) {
        Files.createDirectories(rootfs);
        Mounts.mountAll(config.rootfs(), rootfs);
        mounted = true;
      }
      Sandbox sandbox = host.acquire();
      io = ProcessIo.open(config.io(), config.id(), namespace);
      sandbox.createContainer(new ContainerConfig(config.id(), spec, rootfs, config.io().terminal(), io.stdio()));
      Process init = new Process(ProcessRef.init(config.id()), config.io(), io);
      return new Container(config.id(), config.bundle(), rootfs, mounted, init);
    } catch (TtrpcException | IOException | RuntimeException e) {
      if (io != null) {
        io.close();
      }
      if (mounted) {
        unmountQuietly(rootfs);
      }
      throw asTtrpc(e, "create container " + config.id());
    }
  }

  /** Starts the init process ({@code execId} empty) or an exec process; returns its pid. */
  public int start(String id, String execId) throws TtrpcException {
    Container container = container(id);
    Process process = container.process(execId);
    process.require("start", ProcessPhase.CREATED);
    ProcessRef ref = container.ref(execId);
    events.beginStart(ref);
    try {
      int pid = host.acquire().start(ref);
      process.started(pid);
      if (ref.isInit()) {
        writeBundleFile(container, BundleFiles.INIT_PID, Integer.toString(pid));
        events.publish(new TaskEvent.Started(id, pid));
      } else {
        events.publish(new TaskEvent.ExecStarted(id, execId, pid));
      }
      return pid;
    } catch (TtrpcException | RuntimeException e) {
      events.startFailed(ref);
      throw asTtrpc(e, "start " + ref);
    }
  }

  /** Adds an exec process (not started). */
  public void exec(ExecSpec spec) throws TtrpcException {
    Container container = container(spec.containerId());
    container.requireNewExec(spec.execId());
    container.init().require("exec in", ProcessPhase.RUNNING, ProcessPhase.PAUSED);
    ProcessIo io = null;
    try {
      io = ProcessIo.open(spec.io(), spec.containerId(), namespace);
      host.acquire().exec(new ExecConfig(spec.containerId(), spec.execId(), spec.processJson(),
          spec.io().terminal(), io.stdio()));
      container.addExec(new Process(ProcessRef.exec(spec.containerId(), spec.execId()), spec.io(), io));
    } catch (TtrpcException | IOException | RuntimeException e) {
      if (io != null) {
        io.close();
      }
      throw asTtrpc(e, "exec " + spec.execId() + " in " + spec.containerId());
    }
    events.publish(new TaskEvent.ExecAdded(spec.containerId(), spec.execId()));
  }

  /** Signals a process ({@code all}: every process of the container). */
  public void kill(String id, String execId, int signal, boolean all) throws TtrpcException {
    Container container = container(id);
    Process process = container.process(execId);
    if (process.phase() == ProcessPhase.STOPPED || process.phase() == ProcessPhase.DELETED) {
      throw TtrpcException.notFound("process %s already finished", process.ref());
    }
    host.acquire().signal(container.ref(execId), signal, all);
  }

  /** Deletes a stopped (or never started) process; deleting the init process deletes the container. */
  public DeleteResult delete(String id, String execId) throws TtrpcException {
    Container container = container(id);
    Process process = container.process(execId);
    process.require("delete", ProcessPhase.CREATED, ProcessPhase.STOPPED);
    ProcessRef ref = container.ref(execId);
    ExitStatus status = ref.isInit() ? removeContainer(container) : removeExec(container, ref);
    process.moveTo(ProcessPhase.DELETED, "delete");
    process.streams().close();
    DeleteResult result = new DeleteResult(process.pid(), status.code(), status.exitedAt());
    events.publish(new TaskEvent.Deleted(id, execId, result.pid(), result.exitStatus(), result.exitedAt()));
    if (ref.isInit() && containers.isEmpty() && creating.isEmpty()) {
      onEmpty.run();
    }
    return result;
  }

  private ExitStatus removeContainer(Container container) throws TtrpcException {
    ExitStatus status;
    try {
      status = host.acquire().removeContainer(container.id());
    } catch (TtrpcException e) {
      if (e.code() != Code.UNAVAILABLE && e.code() != Code.FAILED_PRECONDITION) {
        throw e;
      }
      // the sandbox is gone (lost or shutting down): nothing left in the guest, finish on the host
      status = container.init().exitStatus().orElse(ExitStatus.lost(Instant.now()));
    }
    for (Process exec : container.execs()) {
      exec.streams().close();
      events.forgetExec(exec.ref());
    }
    if (container.mountedRootfs()) {
      Mounts.unmount(container.rootfs());
    }
    containers.remove(container.id());
    return status;
  }

  private ExitStatus removeExec(Container container, ProcessRef ref) throws TtrpcException {
    ExitStatus status;
    try {
      status = host.acquire().removeExec(ref);
    } catch (TtrpcException e) {
      if (e.code() != Code.UNAVAILABLE) {
        throw e;
      }
      status = container.process(ref.execId()).exitStatus().orElse(ExitStatus.lost(Instant.now()));
    }
    container.removeExec(ref.execId());
    events.forgetExec(ref);
    return status;
  }

  /** Freezes a running container. */
  public void pause(String id) throws TtrpcException {
    Container container = container(id);
    container.init().require("pause", ProcessPhase.RUNNING);
    host.acquire().pause(id);
    container.init().moveTo(ProcessPhase.PAUSED, "pause");
    events.publish(new TaskEvent.Paused(id));
  }

  /** Thaws a paused container. */
  public void resume(String id) throws TtrpcException {
    Container container = container(id);
    container.init().require("resume", ProcessPhase.PAUSED);
    host.acquire().resume(id);
    container.init().moveTo(ProcessPhase.RUNNING, "resume");
    events.publish(new TaskEvent.Resumed(id));
  }

  /** A snapshot of one process for State. */
  public ProcessView state(String id, String execId) throws TtrpcException {
    Container container = container(id);
    Process process = container.process(execId);
    return new ProcessView(id, execId, container.bundle(), process.pid(), process.phase(), process.io(),
        process.exitStatus());
  }

  /** Blocks until the process exits. */
  public ExitStatus await(String id, String execId) throws TtrpcException, InterruptedException {
    return container(id).process(execId).awaitExit();
  }

  public List<ProcessInfo> pids(String id) throws TtrpcException {
    container(id);
    return host.acquire().pids(id);
  }

  public ContainerStats stats(String id) throws TtrpcException {
    container(id);
    return host.acquire().stats(id);
  }

  public void update(String id, byte[] linuxResourcesJson) throws TtrpcException {
    container(id);
    host.acquire().update(id, linuxResourcesJson);
  }

  /** Sets a terminal's size; 0x0 (what ctr sends when its own terminal has no size) changes nothing, as runc's. */
  public void resizePty(String id, String execId, int width, int height) throws TtrpcException {
    Container container = container(id);
    container.process(execId);
    if (width == 0 || height == 0) {
      return;
    }
    host.acquire().resizeTty(container.ref(execId), width, height);
  }

  /** CloseIO: lets stdin drain, then closes it in the guest. */
  public void closeStdin(String id, String execId) throws TtrpcException {
    Container container = container(id);
    Process process = container.process(execId);
    try {
      process.streams().closeStdin();
    } catch (IOException e) {
      log.warn("closing stdin of {}: {}", process.ref(), e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TtrpcException.cancelled("interrupted while closing stdin of %s", process.ref());
    }
    host.acquire().closeStdin(container.ref(execId));
  }

  /** The init pid of a container (Connect). */
  public int initPid(String id) throws TtrpcException {
    return container(id).init().pid();
  }

  /** Whether no task is left (Shutdown may exit). */
  public boolean isEmpty() {
    return containers.isEmpty() && creating.isEmpty();
  }

  /** Turns the sandbox's own events into containerd's (called on the sandbox's event thread, in order). */
  public void onSandboxEvent(SandboxEvent event) {
    if (event instanceof SandboxEvent.ProcessExited exited) {
      processExited(exited);
    } else if (event instanceof SandboxEvent.OomKilled oom) {
      if (containers.containsKey(oom.containerId())) {
        events.publish(new TaskEvent.OomKilled(oom.containerId()));
      }
    } else if (event instanceof SandboxEvent.SandboxFailed failed) {
      log.error("sandbox {} failed: {}", failed.sandboxId(), failed.reason());
    }
  }

  private void processExited(SandboxEvent.ProcessExited exited) {
    ProcessRef ref = exited.ref();
    Container container = containers.get(ref.containerId());
    if (container == null) {
      return;
    }
    Process process;
    try {
      process = container.process(ref.execId());
    } catch (TtrpcException e) {
      return;
    }
    if (!process.exited(exited.pid(), exited.status())) {
      return;
    }
    if (ref.isInit()) {
      writeBundleFile(container, BundleFiles.EXIT_STATUS, Integer.toString(exited.status().code()));
    }
    events.publish(new TaskEvent.Exited(ref.containerId(), ref.execId(), process.pid(), exited.status().code(),
        exited.status().exitedAt()));
  }

  private Container container(String id) throws TtrpcException {
    Container container = containers.get(id);
    if (container == null) {
      throw TtrpcException.notFound("container %s not found", id);
    }
    return container;
  }

  private static byte[] readSpec(Path bundle) throws TtrpcException {
    Path config = bundle.resolve(BundleFiles.CONFIG);
    try {
      if (Files.size(config) > 4L << 20) {
        throw TtrpcException.invalidArgument("%s is larger than 4 MiB", config);
      }
      return Files.readAllBytes(config);
    } catch (IOException e) {
      throw new TtrpcException(Code.INVALID_ARGUMENT, "cannot read OCI spec " + config + ": " + e.getMessage(), e);
    }
  }

  /** The spec's {@code root.path}, relative to the bundle unless absolute (the OCI rule). */
  static Path specRoot(Path bundle, byte[] spec) throws TtrpcException {
    try {
      String root = JSON.readTree(spec).path("root").path("path").asText("");
      if (root.isEmpty()) {
        throw TtrpcException.invalidArgument("the OCI spec in %s has no root.path and Create passed no rootfs mounts",
            bundle);
      }
      return bundle.resolve(root);
    } catch (IOException e) {
      throw new TtrpcException(Code.INVALID_ARGUMENT, "the OCI spec in " + bundle + " is not JSON: " + e.getMessage(),
          e);
    }
  }

  private static void writeBundleFile(Container container, String name, String content) {
    try {
      new BundleFiles(container.bundle()).write(name, content);
    } catch (IOException e) {
      log.warn("cannot write {} in {}: {}", name, container.bundle(), e.toString());
    }
  }

  private static void unmountQuietly(Path rootfs) {
    try {
      Mounts.unmount(rootfs);
    } catch (TtrpcException e) {
      log.warn("cannot unmount {}: {}", rootfs, e.getMessage());
    }
  }

  private static TtrpcException asTtrpc(Exception e, String what) {
    if (e instanceof TtrpcException t) {
      return t;
    }
    if (e instanceof IllegalArgumentException) {
      return new TtrpcException(Code.INVALID_ARGUMENT, what + ": " + e.getMessage(), e);
    }
    return new TtrpcException(Code.INTERNAL, what + ": " + e, e);
  }

  /** What Delete reports. */
  public record DeleteResult(int pid, int exitStatus, Instant exitedAt) {}
}
