package io.goldilocks.shim.service;

import com.google.protobuf.Any;
import com.google.protobuf.Empty;
import io.goldilocks.api.containerd.task.v2.CheckpointTaskRequest;
import io.goldilocks.api.containerd.task.v2.CloseIORequest;
import io.goldilocks.api.containerd.task.v2.ConnectRequest;
import io.goldilocks.api.containerd.task.v2.ConnectResponse;
import io.goldilocks.api.containerd.task.v2.CreateTaskRequest;
import io.goldilocks.api.containerd.task.v2.CreateTaskResponse;
import io.goldilocks.api.containerd.task.v2.DeleteRequest;
import io.goldilocks.api.containerd.task.v2.DeleteResponse;
import io.goldilocks.api.containerd.task.v2.ExecProcessRequest;
import io.goldilocks.api.containerd.task.v2.KillRequest;
import io.goldilocks.api.containerd.task.v2.PauseRequest;
import io.goldilocks.api.containerd.task.v2.PidsRequest;
import io.goldilocks.api.containerd.task.v2.PidsResponse;
import io.goldilocks.api.containerd.task.v2.ResizePtyRequest;
import io.goldilocks.api.containerd.task.v2.ResumeRequest;
import io.goldilocks.api.containerd.task.v2.ShutdownRequest;
import io.goldilocks.api.containerd.task.v2.StartRequest;
import io.goldilocks.api.containerd.task.v2.StartResponse;
import io.goldilocks.api.containerd.task.v2.StateRequest;
import io.goldilocks.api.containerd.task.v2.StateResponse;
import io.goldilocks.api.containerd.task.v2.StatsRequest;
import io.goldilocks.api.containerd.task.v2.StatsResponse;
import io.goldilocks.api.containerd.task.v2.UpdateTaskRequest;
import io.goldilocks.api.containerd.task.v2.WaitRequest;
import io.goldilocks.api.containerd.task.v2.WaitResponse;
import io.goldilocks.shim.events.EventEncoder;
import io.goldilocks.shim.sandbox.ExitStatus;
import io.goldilocks.shim.task.TaskManager;
import io.goldilocks.shim.task.TaskManager.DeleteResult;
import io.goldilocks.ttrpc.CallContext;
import io.goldilocks.ttrpc.Service;
import io.goldilocks.ttrpc.TtrpcException;

/**
 * {@code containerd.task.v2.Task}: the 17 RPCs containerd calls on a shim, each a thin adapter (style #2) that turns
 * the request into domain terms ({@link Protos}), delegates to {@link TaskManager}, and turns the answer back. Events
 * and errors come from the domain ({@link TtrpcException} codes reach containerd as they are).
 *
 * <p>Thread-safe (stateless apart from its collaborators).
 */
public final class TaskService {
  public static final String NAME = "containerd.task.v2.Task";
  /** The OCI type URL of an exec's process spec (JSON in the Any's value). */
  public static final String PROCESS_SPEC_TYPE = "types.containerd.io/opencontainers/runtime-spec/1/Process";
  public static final String LINUX_RESOURCES_TYPE = "types.containerd.io/opencontainers/runtime-spec/1/LinuxResources";

  private final TaskManager tasks;
  private final ShutdownHook shutdown;

  /** What Shutdown does once no task is left: stop the server (after this response is sent). */
  @FunctionalInterface
  public interface ShutdownHook {
    void shutdown();
  }

  public TaskService(TaskManager tasks, ShutdownHook shutdown) {
    this.tasks = tasks;
    this.shutdown = shutdown;
  }

  /** The ttrpc service with all 17 methods bound. */
  public Service service() {
    return Service.builder(NAME)
        .unary("State", StateRequest.parser(), this::state)
        .unary("Create", CreateTaskRequest.parser(), this::create)
        .unary("Start", StartRequest.parser(), this::start)
        .unary("Delete", DeleteRequest.parser(), this::delete)
        .unary("Pids", PidsRequest.parser(), this::pids)
        .unary("Pause", PauseRequest.parser(), this::pause)
        .unary("Resume", ResumeRequest.parser(), this::resume)
        .unary("Checkpoint", CheckpointTaskRequest.parser(), this::checkpoint)
        .unary("Kill", KillRequest.parser(), this::kill)
        .unary("Exec", ExecProcessRequest.parser(), this::exec)
        .unary("ResizePty", ResizePtyRequest.parser(), this::resizePty)
        .unary("CloseIO", CloseIORequest.parser(), this::closeIo)
        .unary("Update", UpdateTaskRequest.parser(), this::update)
        .unary("Wait", WaitRequest.parser(), this::await)
        .unary("Stats", StatsRequest.parser(), this::stats)
        .unary("Connect", ConnectRequest.parser(), this::connect)
        .unary("Shutdown", ShutdownRequest.parser(), this::shutdown)
        .build();
  }

  StateResponse state(CallContext ctx, StateRequest r) throws TtrpcException {
    return Protos.state(tasks.state(r.getId(), r.getExecId()));
  }

  CreateTaskResponse create(CallContext ctx, CreateTaskRequest r) throws TtrpcException {
    if (!r.getCheckpoint().isEmpty()) {
      throw TtrpcException.unimplemented("restoring from a checkpoint is not supported by goldilocks");
    }
    int pid = tasks.create(Protos.createConfig(r));
    return CreateTaskResponse.newBuilder().setPid(pid).build();
  }

  StartResponse start(CallContext ctx, StartRequest r) throws TtrpcException {
    return StartResponse.newBuilder().setPid(tasks.start(r.getId(), r.getExecId())).build();
  }

  DeleteResponse delete(CallContext ctx, DeleteRequest r) throws TtrpcException {
    DeleteResult result = tasks.delete(r.getId(), r.getExecId());
    return DeleteResponse.newBuilder().setPid(result.pid()).setExitStatus(result.exitStatus())
        .setExitedAt(EventEncoder.timestamp(result.exitedAt())).build();
  }

  PidsResponse pids(CallContext ctx, PidsRequest r) throws TtrpcException {
    return Protos.pids(tasks.pids(r.getId()));
  }

  Empty pause(CallContext ctx, PauseRequest r) throws TtrpcException {
    tasks.pause(r.getId());
    return Empty.getDefaultInstance();
  }

  Empty resume(CallContext ctx, ResumeRequest r) throws TtrpcException {
    tasks.resume(r.getId());
    return Empty.getDefaultInstance();
  }

  Empty checkpoint(CallContext ctx, CheckpointTaskRequest r) throws TtrpcException {
    throw TtrpcException.unimplemented(
        "checkpoint is not supported by goldilocks: a container's state lives in its guest VM");
  }

  Empty kill(CallContext ctx, KillRequest r) throws TtrpcException {
    tasks.kill(r.getId(), r.getExecId(), r.getSignal(), r.getAll());
    return Empty.getDefaultInstance();
  }

  Empty exec(CallContext ctx, ExecProcessRequest r) throws TtrpcException {
    tasks.exec(Protos.execSpec(r));
    return Empty.getDefaultInstance();
  }

  Empty resizePty(CallContext ctx, ResizePtyRequest r) throws TtrpcException {
    tasks.resizePty(r.getId(), r.getExecId(), r.getWidth(), r.getHeight());
    return Empty.getDefaultInstance();
  }

  Empty closeIo(CallContext ctx, CloseIORequest r) throws TtrpcException {
    if (r.getStdin()) {
      tasks.closeStdin(r.getId(), r.getExecId());
    }
    return Empty.getDefaultInstance();
  }

  Empty update(CallContext ctx, UpdateTaskRequest r) throws TtrpcException {
    tasks.update(r.getId(), Protos.json(r.getResources(), LINUX_RESOURCES_TYPE, "resources"));
    return Empty.getDefaultInstance();
  }

  WaitResponse await(CallContext ctx, WaitRequest r) throws TtrpcException, InterruptedException {
    ExitStatus exit = tasks.await(r.getId(), r.getExecId());
    return WaitResponse.newBuilder().setExitStatus(exit.code())
        .setExitedAt(EventEncoder.timestamp(exit.exitedAt())).build();
  }

  StatsResponse stats(CallContext ctx, StatsRequest r) throws TtrpcException {
    Any metrics = Protos.metrics(tasks.stats(r.getId()));
    return StatsResponse.newBuilder().setStats(metrics).build();
  }

  ConnectResponse connect(CallContext ctx, ConnectRequest r) throws TtrpcException {
    return ConnectResponse.newBuilder().setShimPid((int) ProcessHandle.current().pid())
        .setTaskPid(tasks.initPid(r.getId())).setVersion(io.goldilocks.shim.ShimMain.VERSION).build();
  }

  Empty shutdown(CallContext ctx, ShutdownRequest r) {
    if (tasks.isEmpty()) {
      shutdown.shutdown();
    }
    return Empty.getDefaultInstance();
  }
}
