package io.goldilocks.shim.agent;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.goldilocks.api.agent.v1.CheckRequest;
import io.goldilocks.api.agent.v1.CheckResponse;
import io.goldilocks.api.agent.v1.ContainerRequest;
import io.goldilocks.api.agent.v1.CreateContainerRequest;
import io.goldilocks.api.agent.v1.CreateSandboxRequest;
import io.goldilocks.api.agent.v1.DestroySandboxRequest;
import io.goldilocks.api.agent.v1.ExecProcessRequest;
import io.goldilocks.api.agent.v1.ExecProcessResponse;
import io.goldilocks.api.agent.v1.ListPidsResponse;
import io.goldilocks.api.agent.v1.OutputStream;
import io.goldilocks.api.agent.v1.ProcessPid;
import io.goldilocks.api.agent.v1.ProcessRequest;
import io.goldilocks.api.agent.v1.RemoveContainerRequest;
import io.goldilocks.api.agent.v1.ResizeTtyRequest;
import io.goldilocks.api.agent.v1.SignalProcessRequest;
import io.goldilocks.api.agent.v1.StartContainerRequest;
import io.goldilocks.api.agent.v1.StartContainerResponse;
import io.goldilocks.api.agent.v1.StatsResponse;
import io.goldilocks.api.agent.v1.UpdateContainerRequest;
import io.goldilocks.api.agent.v1.WaitProcessRequest;
import io.goldilocks.api.agent.v1.WaitProcessResponse;
import io.goldilocks.ttrpc.CallOptions;
import io.goldilocks.ttrpc.TtrpcClient;
import io.goldilocks.ttrpc.TtrpcException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The host's typed client of the guest agent (goldilocks.agent.v1, see agent.proto) over one ttrpc connection.
 *
 * <p>The guest is untrusted. Every call carries a deadline ({@link AgentClientConfig}); everything the guest answers
 * is checked against agent.proto's bounds and against the ids this client created, and a violation is INTERNAL
 * "agent sent ...". A dead agent is UNAVAILABLE (connection closed) or DEADLINE_EXCEEDED (no answer), never a hang.
 * Long-lived streams (output, stdin, events) have no deadline: they end when the process's output ends, when the
 * host closes them, or with UNAVAILABLE when the connection dies (the shim's health watchdog closes a connection to
 * an agent that stops answering).
 *
 * <p>Thread-safe: many calls and streams may run at once.
 */
public final class AgentClient implements AutoCloseable {
  static final String HEALTH = "goldilocks.agent.v1.Health";
  static final String AGENT = "goldilocks.agent.v1.Agent";
  /** The agent API version this client speaks. */
  public static final int API_VERSION = 1;

  private final TtrpcClient ttrpc;
  private final AgentClientConfig config;
  private final KnownProcesses known = new KnownProcesses();

  /** Wraps an open ttrpc connection to the agent; closing this client closes it. */
  public AgentClient(TtrpcClient ttrpc, AgentClientConfig config) {
    this.ttrpc = ttrpc;
    this.config = config;
  }

  /** Connects to an agent's Unix socket (QEMU's virtio-serial chardev, or an agent run with --listen). */
  public static AgentClient connect(Path socket, AgentClientConfig config) throws TtrpcException {
    try {
      return new AgentClient(TtrpcClient.connect(socket), config);
    } catch (IOException e) {
      throw TtrpcException.unavailable("cannot connect to the agent at %s: %s", socket, e.getMessage());
    }
  }

  // ---- health and sandbox ----------------------------------------------------------------------------------------

  /** Health.Check within {@code timeout}: agent-ready. Refuses an agent speaking another API version. */
  public CheckResponse checkHealth(Duration timeout) throws TtrpcException {
    CheckResponse r = ttrpc.call(HEALTH, "Check", CheckRequest.getDefaultInstance(), CheckResponse.parser(),
        CallOptions.timeout(timeout));
    ResponseChecks.text("agent version", r.getAgentVersion(), ResponseChecks.VERSION_MAX);
    ResponseChecks.text("kernel release", r.getKernelRelease(), ResponseChecks.KERNEL_RELEASE_MAX);
    if (r.getApiVersion() != API_VERSION) {
      throw TtrpcException.failedPrecondition("agent speaks API version %d; this host needs %d",
          Integer.toUnsignedLong(r.getApiVersion()), API_VERSION);
    }
    return r;
  }

  /**
   * Agent-ready: repeats {@link #checkHealth} with {@code perAttempt} deadlines until one is answered or
   * {@code total} has passed (DEADLINE_EXCEEDED). A guest still booting leaves the request unanswered, hence the
   * retries; a closed connection (UNAVAILABLE) or a wrong answer fails at once.
   */
  public CheckResponse awaitReady(Duration total, Duration perAttempt) throws TtrpcException {
    long end = System.nanoTime() + total.toNanos();
    while (true) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        throw TtrpcException.deadlineExceeded("the agent did not answer a health check within %s", total);
      }
      try {
        return checkHealth(Duration.ofNanos(Math.min(left, perAttempt.toNanos())));
      } catch (TtrpcException e) {
        if (e.code() != io.goldilocks.ttrpc.Code.DEADLINE_EXCEEDED) {
          throw e;
        }
      }
    }
  }

  public void createSandbox(CreateSandboxRequest request) throws TtrpcException {
    unary("CreateSandbox", request, Empty.parser(), config.callTimeout());
  }

  /** Configures the guest's NICs and routes (once per sandbox, before the first container). */
  public void configureNetwork(io.goldilocks.api.agent.v1.ConfigureNetworkRequest request) throws TtrpcException {
    unary("ConfigureNetwork", request, Empty.parser(), config.callTimeout());
  }

  public void destroySandbox(String sandboxId) throws TtrpcException {
    unary("DestroySandbox", DestroySandboxRequest.newBuilder().setSandboxId(sandboxId).build(), Empty.parser(),
        config.removeTimeout());
  }

  // ---- containers ------------------------------------------------------------------------------------------------

  public void createContainer(CreateContainerRequest request) throws TtrpcException {
    unary("CreateContainer", request, Empty.parser(), config.callTimeout());
    known.addContainer(request.getContainerId());
  }

  /** Runs the container's init; returns its guest pid. */
  public int startContainer(String containerId) throws TtrpcException {
    StartContainerResponse r = unary("StartContainer", StartContainerRequest.newBuilder()
        .setContainerId(containerId).build(), StartContainerResponse.parser(), config.startTimeout());
    return ResponseChecks.pid("init of " + containerId, r.getPid());
  }

  /** Creates and starts an exec process; returns its guest pid. */
  public int execProcess(ExecProcessRequest request) throws TtrpcException {
    known.addExec(request.getContainerId(), request.getExecId());
    ExecProcessResponse r = unary("ExecProcess", request, ExecProcessResponse.parser(), config.startTimeout());
    return ResponseChecks.pid("exec " + request.getExecId(), r.getPid());
  }

  public void updateContainer(String containerId, byte[] linuxResourcesJson) throws TtrpcException {
    unary("UpdateContainer", UpdateContainerRequest.newBuilder().setContainerId(containerId)
        .setResources(ByteString.copyFrom(linuxResourcesJson)).build(), Empty.parser(), config.callTimeout());
  }

  public void pauseContainer(String containerId) throws TtrpcException {
    unary("PauseContainer", containerRequest(containerId), Empty.parser(), config.callTimeout());
  }

  public void resumeContainer(String containerId) throws TtrpcException {
    unary("ResumeContainer", containerRequest(containerId), Empty.parser(), config.callTimeout());
  }

  /** The container's cgroup v2 metrics, checked. */
  public StatsResponse stats(String containerId) throws TtrpcException {
    StatsResponse r = unary("Stats", containerRequest(containerId), StatsResponse.parser(), config.callTimeout());
    ResponseChecks.count("io entries", r.getIoList(), ResponseChecks.IO_MAX);
    return r;
  }

  /** Every pid of the container; exec ids are checked against the execs this client created. */
  public List<ProcessPid> listPids(String containerId) throws TtrpcException {
    ListPidsResponse r = unary("ListPids", containerRequest(containerId), ListPidsResponse.parser(),
        config.callTimeout());
    ResponseChecks.count("pids", r.getPidsList(), ResponseChecks.PIDS_MAX);
    for (ProcessPid p : r.getPidsList()) {
      ResponseChecks.pid("a listed", p.getPid());
      if (!p.getExecId().isEmpty()) {
        known.check("a pid", containerId, p.getExecId());
      }
    }
    return r.getPidsList();
  }

  /** Removes the container in the guest ({@code force}: kill it first). */
  public void removeContainer(String containerId, boolean force) throws TtrpcException {
    unary("RemoveContainer", RemoveContainerRequest.newBuilder().setContainerId(containerId).setForce(force)
        .build(), Empty.parser(), config.removeTimeout());
    known.retireContainer(containerId);
  }

  // ---- processes -------------------------------------------------------------------------------------------------

  public void signalProcess(String containerId, String execId, int signal, boolean all) throws TtrpcException {
    unary("SignalProcess", SignalProcessRequest.newBuilder().setContainerId(containerId).setExecId(execId)
        .setSignal(signal).setAll(all).build(), Empty.parser(), config.callTimeout());
  }

  /**
   * Waits up to {@code timeout} for a process's exit; DEADLINE_EXCEEDED while it still runs (call again). Answers
   * at once for a process that already exited.
   */
  public GuestExit waitProcess(String containerId, String execId, Duration timeout) throws TtrpcException {
    WaitProcessResponse r = unary("WaitProcess", WaitProcessRequest.newBuilder().setContainerId(containerId)
        .setExecId(execId).build(), WaitProcessResponse.parser(), timeout);
    return ResponseChecks.exit(containerId + "/" + execId, r.getExitStatus(), r.hasExitedAt(), r.getExitedAt());
  }

  /** Forgets an exited exec in the guest (its id becomes reusable); FAILED_PRECONDITION while it runs. */
  public void removeProcess(String containerId, String execId) throws TtrpcException {
    unary("RemoveProcess", ProcessRequest.newBuilder().setContainerId(containerId).setExecId(execId).build(),
        Empty.parser(), config.callTimeout());
    known.retireExec(containerId, execId);
  }

  public void closeStdin(String containerId, String execId) throws TtrpcException {
    unary("CloseStdin", ProcessRequest.newBuilder().setContainerId(containerId).setExecId(execId).build(),
        Empty.parser(), config.callTimeout());
  }

  public void resizeTty(String containerId, String execId, int width, int height) throws TtrpcException {
    unary("ResizeTty", ResizeTtyRequest.newBuilder().setContainerId(containerId).setExecId(execId)
        .setWidth(width).setHeight(height).build(), Empty.parser(), config.callTimeout());
  }

  // ---- streams ---------------------------------------------------------------------------------------------------

  /**
   * Copies a process's stdout or stderr into {@code sink} on a background thread until EOF. Open it before starting
   * the process or any time later: the guest buffers output until a reader comes. Closing the pump early abandons
   * the rest of that output (ttrpc has no cancel: the guest keeps sending into the closed stream).
   */
  public OutputPump pumpOutput(String containerId, String execId, OutputStream stream, java.io.OutputStream sink)
      throws TtrpcException {
    return OutputPump.start(ttrpc, containerId, execId, stream, sink);
  }

  /**
   * Copies {@code source} into a process's stdin on a background thread; at EOF of {@code source} closes the
   * process's stdin when {@code closeAtEof}.
   */
  public StdinPump pumpStdin(String containerId, String execId, InputStream source, boolean closeAtEof)
      throws TtrpcException {
    return StdinPump.start(this, ttrpc, containerId, execId, source, closeAtEof, config.callTimeout());
  }

  /**
   * Subscribes to the guest's events (one subscriber per guest; a new one replaces the old). Events are checked
   * and delivered in order on one background thread; {@code onFailure} is called once when the stream ends
   * (UNAVAILABLE when the connection died, INTERNAL when the agent lied, CANCELLED after {@link
   * EventStream#close}).
   */
  public EventStream subscribeEvents(Consumer<GuestEvent> onEvent, Consumer<TtrpcException> onFailure)
      throws TtrpcException {
    return EventStream.start(ttrpc, known, onEvent, onFailure);
  }

  // ---- connection ------------------------------------------------------------------------------------------------

  /** Whether the connection to the agent is gone. */
  public boolean isClosed() {
    return ttrpc.isClosed();
  }

  /** Runs {@code listener} once when the connection ends. */
  public void onClose(Runnable listener) {
    ttrpc.onClose(listener);
  }

  /** Closes the connection: calls and streams in flight fail with UNAVAILABLE. */
  @Override
  public void close() {
    ttrpc.close();
  }

  private static ContainerRequest containerRequest(String containerId) {
    return ContainerRequest.newBuilder().setContainerId(containerId).build();
  }

  private <R extends Message> R unary(String method, Message request, Parser<R> parser, Duration timeout)
      throws TtrpcException {
    return ttrpc.call(AGENT, method, request, parser, CallOptions.timeout(timeout));
  }
}
