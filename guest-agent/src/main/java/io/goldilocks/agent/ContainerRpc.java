package io.goldilocks.agent;

import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import io.goldilocks.agent.process.ContainerManager;
import io.goldilocks.agent.process.CreateConfig;
import io.goldilocks.agent.process.ExecConfig;
import io.goldilocks.agent.process.ExitStatus;
import io.goldilocks.agent.process.ProcessPid;
import io.goldilocks.agent.process.StdioConfig;
import io.goldilocks.api.agent.v1.ContainerRequest;
import io.goldilocks.api.agent.v1.CreateContainerRequest;
import io.goldilocks.api.agent.v1.ExecProcessRequest;
import io.goldilocks.api.agent.v1.ExecProcessResponse;
import io.goldilocks.api.agent.v1.ListPidsResponse;
import io.goldilocks.api.agent.v1.RemoveContainerRequest;
import io.goldilocks.api.agent.v1.SignalProcessRequest;
import io.goldilocks.api.agent.v1.StartContainerRequest;
import io.goldilocks.api.agent.v1.StartContainerResponse;
import io.goldilocks.api.agent.v1.Stdio;
import io.goldilocks.api.agent.v1.UpdateContainerRequest;
import io.goldilocks.api.agent.v1.WaitProcessRequest;
import io.goldilocks.api.agent.v1.WaitProcessResponse;
import io.goldilocks.ttrpc.CallContext;
import io.goldilocks.ttrpc.Service;
import io.goldilocks.ttrpc.TtrpcException;
import java.time.Duration;
import java.time.Instant;

/**
 * The container and process methods of goldilocks.agent.v1.Agent: check bounds, call {@link ContainerManager},
 * map the result. Thread-safe (stateless adapter).
 */
final class ContainerRpc {
  /** Start/exec without a call deadline still give up eventually (TCG guests are slow, so generously). */
  private static final Duration DEFAULT_START_DEADLINE = Duration.ofMinutes(2);
  /** How often a long wait looks whether its caller is gone. */
  private static final Duration WAIT_SLICE = Duration.ofSeconds(1);

  private final ContainerManager containers;

  ContainerRpc(ContainerManager containers) {
    this.containers = containers;
  }

  void register(Service.Builder b) {
    b.unary("CreateContainer", CreateContainerRequest.parser(), this::create);
    b.unary("StartContainer", StartContainerRequest.parser(), this::start);
    b.unary("UpdateContainer", UpdateContainerRequest.parser(), this::update);
    b.unary("PauseContainer", ContainerRequest.parser(), this::pause);
    b.unary("ResumeContainer", ContainerRequest.parser(), this::resume);
    b.unary("ListPids", ContainerRequest.parser(), this::listPids);
    b.unary("RemoveContainer", RemoveContainerRequest.parser(), this::remove);
    b.unary("ExecProcess", ExecProcessRequest.parser(), this::exec);
    b.unary("SignalProcess", SignalProcessRequest.parser(), this::signal);
    b.unary("WaitProcess", WaitProcessRequest.parser(), this::await);
    b.unary("RemoveProcess", io.goldilocks.api.agent.v1.ProcessRequest.parser(), this::removeProcess);
  }

  private Empty create(CallContext ctx, CreateContainerRequest r) throws TtrpcException {
    String id = RequestChecks.id("container_id", r.getContainerId());
    String spec = RequestChecks.json("oci_spec", r.getOciSpec(), RequestChecks.SPEC_MAX);
    containers.create(new CreateConfig(id, spec, RequestChecks.absolutePath("rootfs_path", r.getRootfsPath()),
        stdio(r.getStdio())));
    return Empty.getDefaultInstance();
  }

  private StartContainerResponse start(CallContext ctx, StartContainerRequest r) throws Exception {
    long pid = containers.start(RequestChecks.id("container_id", r.getContainerId()), deadline(ctx));
    return StartContainerResponse.newBuilder().setPid((int) pid).build();
  }

  private Empty update(CallContext ctx, UpdateContainerRequest r) throws TtrpcException {
    String resources = RequestChecks.json("resources", r.getResources(), RequestChecks.RESOURCES_MAX);
    containers.update(RequestChecks.id("container_id", r.getContainerId()),
        resources.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return Empty.getDefaultInstance();
  }

  private Empty pause(CallContext ctx, ContainerRequest r) throws TtrpcException {
    containers.pause(RequestChecks.id("container_id", r.getContainerId()));
    return Empty.getDefaultInstance();
  }

  private Empty resume(CallContext ctx, ContainerRequest r) throws TtrpcException {
    containers.resume(RequestChecks.id("container_id", r.getContainerId()));
    return Empty.getDefaultInstance();
  }

  private ListPidsResponse listPids(CallContext ctx, ContainerRequest r) throws TtrpcException {
    ListPidsResponse.Builder out = ListPidsResponse.newBuilder();
    for (ProcessPid p : containers.pids(RequestChecks.id("container_id", r.getContainerId()))) {
      out.addPids(io.goldilocks.api.agent.v1.ProcessPid.newBuilder().setPid((int) p.pid()).setExecId(p.execId()));
    }
    return out.build();
  }

  private Empty remove(CallContext ctx, RemoveContainerRequest r) throws Exception {
    containers.remove(RequestChecks.id("container_id", r.getContainerId()), r.getForce());
    return Empty.getDefaultInstance();
  }

  private ExecProcessResponse exec(CallContext ctx, ExecProcessRequest r) throws Exception {
    ExecConfig config = new ExecConfig(RequestChecks.id("container_id", r.getContainerId()),
        RequestChecks.id("exec_id", r.getExecId()),
        RequestChecks.json("process", r.getProcess(), RequestChecks.PROCESS_MAX), stdio(r.getStdio()));
    return ExecProcessResponse.newBuilder().setPid((int) containers.exec(config, deadline(ctx))).build();
  }

  private Empty signal(CallContext ctx, SignalProcessRequest r) throws TtrpcException {
    containers.signal(RequestChecks.id("container_id", r.getContainerId()),
        RequestChecks.execIdOrInit(r.getExecId()), RequestChecks.signal(r.getSignal()), r.getAll());
    return Empty.getDefaultInstance();
  }

  private Empty removeProcess(CallContext ctx, io.goldilocks.api.agent.v1.ProcessRequest r) throws TtrpcException {
    if (r.getExecId().isEmpty()) {
      throw TtrpcException.invalidArgument("RemoveProcess is for execs; remove the init with RemoveContainer");
    }
    containers.removeExec(RequestChecks.id("container_id", r.getContainerId()),
        RequestChecks.id("exec_id", r.getExecId()));
    return Empty.getDefaultInstance();
  }

  /** Waits in slices so a caller that went away (connection closed) frees this thread. */
  private WaitProcessResponse await(CallContext ctx, WaitProcessRequest r) throws Exception {
    String id = RequestChecks.id("container_id", r.getContainerId());
    String execId = RequestChecks.execIdOrInit(r.getExecId());
    Instant end = ctx.deadline().orElse(Instant.MAX);
    while (true) {
      Instant slice = Instant.now().plus(WAIT_SLICE);
      try {
        return exitResponse(containers.await(id, execId, slice.isBefore(end) ? slice : end));
      } catch (TtrpcException e) {
        if (e.code() != io.goldilocks.ttrpc.Code.DEADLINE_EXCEEDED || !Instant.now().isBefore(end)
            || ctx.isCancelled()) {
          throw e;
        }
      }
    }
  }

  static WaitProcessResponse exitResponse(ExitStatus s) {
    return WaitProcessResponse.newBuilder().setExitStatus(s.status()).setExitedAt(timestamp(s.exitedAt())).build();
  }

  static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  static StdioConfig stdio(Stdio s) {
    return new StdioConfig(s.getTerminal(), s.getStdin(), s.getStdout(), s.getStderr());
  }

  private static Instant deadline(CallContext ctx) {
    return ctx.deadline().orElse(Instant.now().plus(DEFAULT_START_DEADLINE));
  }
}
