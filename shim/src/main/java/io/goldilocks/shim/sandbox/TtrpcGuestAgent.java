package io.goldilocks.shim.sandbox;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.goldilocks.api.agent.v1.CheckRequest;
import io.goldilocks.api.agent.v1.CheckResponse;
import io.goldilocks.api.agent.v1.ContainerRequest;
import io.goldilocks.api.agent.v1.CreateContainerRequest;
import io.goldilocks.api.agent.v1.CreateSandboxRequest;
import io.goldilocks.api.agent.v1.DestroySandboxRequest;
import io.goldilocks.api.agent.v1.Event;
import io.goldilocks.api.agent.v1.EventsRequest;
import io.goldilocks.api.agent.v1.ExecProcessRequest;
import io.goldilocks.api.agent.v1.ExecProcessResponse;
import io.goldilocks.api.agent.v1.GuestMount;
import io.goldilocks.api.agent.v1.ListPidsResponse;
import io.goldilocks.api.agent.v1.OutputChunk;
import io.goldilocks.api.agent.v1.OutputStream;
import io.goldilocks.api.agent.v1.ProcessPid;
import io.goldilocks.api.agent.v1.ProcessRequest;
import io.goldilocks.api.agent.v1.ReadOutputRequest;
import io.goldilocks.api.agent.v1.RemoveContainerRequest;
import io.goldilocks.api.agent.v1.ResizeTtyRequest;
import io.goldilocks.api.agent.v1.SignalProcessRequest;
import io.goldilocks.api.agent.v1.StartContainerRequest;
import io.goldilocks.api.agent.v1.StartContainerResponse;
import io.goldilocks.api.agent.v1.StatsResponse;
import io.goldilocks.api.agent.v1.StdinChunk;
import io.goldilocks.api.agent.v1.UpdateContainerRequest;
import io.goldilocks.api.agent.v1.WaitProcessRequest;
import io.goldilocks.api.agent.v1.WaitProcessResponse;
import io.goldilocks.api.agent.v1.WriteStdinResponse;
import io.goldilocks.ttrpc.CallOptions;
import io.goldilocks.ttrpc.ClientStream;
import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcClient;
import io.goldilocks.ttrpc.TtrpcException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@link GuestAgent} over ttrpc with the {@code goldilocks.agent.v1} protos. Every unary call carries a deadline;
 * everything the guest sends is checked against the bounds agent.proto documents (a guest that exceeds one is lying:
 * INTERNAL). Thread-safe (the client is).
 */
final class TtrpcGuestAgent implements GuestAgent {
  static final String HEALTH = "goldilocks.agent.v1.Health";
  static final String AGENT = "goldilocks.agent.v1.Agent";
  private static final int API_VERSION = 1;
  private static final int MAX_OUTPUT_CHUNK = 65536;
  private static final int MAX_PIDS = 65536;

  private final TtrpcClient client;
  private final Duration callDeadline;

  TtrpcGuestAgent(TtrpcClient client, Duration callDeadline) {
    this.client = client;
    this.callDeadline = callDeadline;
  }

  /** Connects to the host end of the agent's virtio-serial port. */
  static GuestAgent connect(Path socket, Duration callDeadline) throws TtrpcException {
    try {
      return new TtrpcGuestAgent(TtrpcClient.connect(socket), callDeadline);
    } catch (IOException e) {
      throw new TtrpcException(Code.UNAVAILABLE, e.getMessage(), e);
    }
  }

  @Override
  public Health check(Duration deadline) throws TtrpcException {
    CheckResponse r = client.call(HEALTH, "Check", CheckRequest.getDefaultInstance(), CheckResponse.parser(),
        CallOptions.timeout(deadline));
    if (r.getApiVersion() != API_VERSION) {
      throw TtrpcException.failedPrecondition("the guest agent speaks API version %d, this host %d",
          r.getApiVersion(), API_VERSION);
    }
    return new Health(bounded(r.getAgentVersion(), 64), bounded(r.getKernelRelease(), 256), r.getUptimeMillis());
  }

  @Override
  public void createSandbox(String sandboxId, String shareTag, String guestPath) throws TtrpcException {
    GuestMount share = GuestMount.newBuilder().setSource(shareTag).setTarget(guestPath).setFstype("virtiofs").build();
    call("CreateSandbox", CreateSandboxRequest.newBuilder().setSandboxId(sandboxId).addMounts(share).build());
  }

  @Override
  public void destroySandbox(String sandboxId, Duration deadline) throws TtrpcException {
    client.call(AGENT, "DestroySandbox", DestroySandboxRequest.newBuilder().setSandboxId(sandboxId).build(),
        Empty.parser(), CallOptions.timeout(deadline));
  }

  @Override
  public void createContainer(String containerId, byte[] ociSpec, String guestRootfs, StdioFlags stdio)
      throws TtrpcException {
    call("CreateContainer", CreateContainerRequest.newBuilder().setContainerId(containerId)
        .setOciSpec(ByteString.copyFrom(ociSpec)).setRootfsPath(guestRootfs).setStdio(stdio(stdio)).build());
  }

  @Override
  public int startContainer(String containerId) throws TtrpcException {
    StartContainerResponse r = client.call(AGENT, "StartContainer",
        StartContainerRequest.newBuilder().setContainerId(containerId).build(), StartContainerResponse.parser(),
        options());
    return pid(r.getPid());
  }

  @Override
  public int execProcess(ProcessRef ref, byte[] processSpec, StdioFlags stdio) throws TtrpcException {
    ExecProcessResponse r = client.call(AGENT, "ExecProcess", ExecProcessRequest.newBuilder()
        .setContainerId(ref.containerId()).setExecId(ref.execId()).setProcess(ByteString.copyFrom(processSpec))
        .setStdio(stdio(stdio)).build(), ExecProcessResponse.parser(), options());
    return pid(r.getPid());
  }

  @Override
  public void signal(ProcessRef ref, int signal, boolean all) throws TtrpcException {
    call("SignalProcess", SignalProcessRequest.newBuilder().setContainerId(ref.containerId())
        .setExecId(ref.execId()).setSignal(signal).setAll(all).build());
  }

  @Override
  public ExitStatus waitProcess(ProcessRef ref, Duration deadline) throws TtrpcException {
    WaitProcessResponse r = client.call(AGENT, "WaitProcess", WaitProcessRequest.newBuilder()
        .setContainerId(ref.containerId()).setExecId(ref.execId()).build(), WaitProcessResponse.parser(),
        CallOptions.timeout(deadline));
    if (r.getExitStatus() > 255) {
      throw TtrpcException.internal("agent sent exit status %d for %s", r.getExitStatus(), ref);
    }
    return ExitStatus.exited(r.getExitStatus(), instant(r.getExitedAt()));
  }

  @Override
  public void readOutput(ProcessRef ref, boolean stderr, java.io.OutputStream sink) throws TtrpcException {
    ReadOutputRequest request = ReadOutputRequest.newBuilder().setContainerId(ref.containerId())
        .setExecId(ref.execId()).setStream(stderr ? OutputStream.STDERR : OutputStream.STDOUT).build();
    try (ClientStream<ReadOutputRequest, OutputChunk> stream =
        client.stream(AGENT, "ReadOutput", request, OutputChunk.parser(), CallOptions.none(), false)) {
      OutputChunk chunk;
      while ((chunk = stream.receive()) != null) {
        if (chunk.getData().size() > MAX_OUTPUT_CHUNK) {
          throw TtrpcException.internal("agent sent an output chunk of %d bytes", chunk.getData().size());
        }
        chunk.getData().writeTo(sink);
        sink.flush();
      }
    } catch (IOException e) {
      // The host reader went away (a closed pipe): stop pulling; the guest keeps what was not sent.
      throw new TtrpcException(Code.CANCELLED, "output sink of " + ref + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public StdinSink openStdin(ProcessRef ref) throws TtrpcException {
    StdinChunk first = StdinChunk.newBuilder().setContainerId(ref.containerId()).setExecId(ref.execId()).build();
    ClientStream<StdinChunk, WriteStdinResponse> stream =
        client.stream(AGENT, "WriteStdin", first, WriteStdinResponse.parser(), CallOptions.none(), true);
    return new StdinSink() {
      @Override
      public void write(byte[] data, int offset, int length) throws TtrpcException {
        stream.send(StdinChunk.newBuilder().setData(ByteString.copyFrom(data, offset, length)).build());
      }

      @Override
      public void close() throws TtrpcException {
        try {
          stream.closeSend();
          stream.receive(callDeadline);
        } finally {
          stream.close();
        }
      }
    };
  }

  @Override
  public void closeStdin(ProcessRef ref) throws TtrpcException {
    call("CloseStdin", processRequest(ref));
  }

  @Override
  public void resizeTty(ProcessRef ref, int columns, int rows) throws TtrpcException {
    call("ResizeTty", ResizeTtyRequest.newBuilder().setContainerId(ref.containerId()).setExecId(ref.execId())
        .setWidth(columns).setHeight(rows).build());
  }

  @Override
  public List<ProcessInfo> listPids(String containerId) throws TtrpcException {
    ListPidsResponse r = client.call(AGENT, "ListPids", container(containerId), ListPidsResponse.parser(), options());
    if (r.getPidsCount() > MAX_PIDS) {
      throw TtrpcException.internal("agent listed %d pids", r.getPidsCount());
    }
    List<ProcessInfo> pids = new ArrayList<>(r.getPidsCount());
    for (ProcessPid p : r.getPidsList()) {
      pids.add(new ProcessInfo(p.getPid(), bounded(p.getExecId(), 76)));
    }
    return pids;
  }

  @Override
  public ContainerStats stats(String containerId) throws TtrpcException {
    StatsResponse r = client.call(AGENT, "Stats", container(containerId), StatsResponse.parser(), options());
    long memoryLimit = r.getMemory().getUsageLimit() == -1L ? 0 : r.getMemory().getUsageLimit();
    return new ContainerStats(r.getCpu().getUsageUsec(), r.getCpu().getUserUsec(), r.getCpu().getSystemUsec(),
        r.getMemory().getUsage(), memoryLimit, r.getMemory().getSwapUsage(), r.getPids().getCurrent(),
        r.getPids().getLimit(), r.getMemoryEvents().getOomKill());
  }

  @Override
  public void update(String containerId, byte[] linuxResources) throws TtrpcException {
    call("UpdateContainer", UpdateContainerRequest.newBuilder().setContainerId(containerId)
        .setResources(ByteString.copyFrom(linuxResources)).build());
  }

  @Override
  public void pause(String containerId) throws TtrpcException {
    call("PauseContainer", container(containerId));
  }

  @Override
  public void resume(String containerId) throws TtrpcException {
    call("ResumeContainer", container(containerId));
  }

  @Override
  public void removeContainer(String containerId, boolean force) throws TtrpcException {
    call("RemoveContainer", RemoveContainerRequest.newBuilder().setContainerId(containerId).setForce(force).build());
  }

  @Override
  public void streamOomEvents(Consumer<String> oomContainer) throws TtrpcException {
    try (ClientStream<EventsRequest, Event> stream = client.stream(AGENT, "Events",
        EventsRequest.getDefaultInstance(), Event.parser(), CallOptions.none(), false)) {
      Event event;
      while ((event = stream.receive()) != null) {
        if (event.hasOom()) {
          oomContainer.accept(bounded(event.getOom().getContainerId(), 76));
        }
      }
    }
  }

  @Override
  public void onClose(Runnable listener) {
    client.onClose(listener);
  }

  @Override
  public void close() {
    client.close();
  }

  private void call(String method, Message request) throws TtrpcException {
    client.call(AGENT, method, request, Empty.parser(), options());
  }

  private CallOptions options() {
    return CallOptions.timeout(callDeadline);
  }

  private static ContainerRequest container(String containerId) {
    return ContainerRequest.newBuilder().setContainerId(containerId).build();
  }

  private static ProcessRequest processRequest(ProcessRef ref) {
    return ProcessRequest.newBuilder().setContainerId(ref.containerId()).setExecId(ref.execId()).build();
  }

  private static io.goldilocks.api.agent.v1.Stdio stdio(StdioFlags flags) {
    return io.goldilocks.api.agent.v1.Stdio.newBuilder().setTerminal(flags.terminal()).setStdin(flags.stdin())
        .setStdout(flags.stdout()).setStderr(flags.stderr()).build();
  }

  private static int pid(int pid) throws TtrpcException {
    if (pid <= 0) {
      throw TtrpcException.internal("agent sent pid %d", Integer.toUnsignedLong(pid));
    }
    return pid;
  }

  private static Instant instant(Timestamp t) {
    return t.getSeconds() == 0 && t.getNanos() == 0 ? Instant.now() : Instant.ofEpochSecond(t.getSeconds(),
        Math.max(0, Math.min(999_999_999, t.getNanos())));
  }

  private static String bounded(String value, int max) throws TtrpcException {
    if (value.length() > max) {
      throw TtrpcException.internal("agent sent a %d-character string where at most %d are allowed",
          value.length(), max);
    }
    return value;
  }
}
