package io.goldilocks.shim.sandbox;

import io.goldilocks.api.agent.v1.CheckResponse;
import io.goldilocks.api.agent.v1.CreateContainerRequest;
import io.goldilocks.api.agent.v1.CreateSandboxRequest;
import io.goldilocks.api.agent.v1.ExecProcessRequest;
import io.goldilocks.api.agent.v1.GuestMount;
import io.goldilocks.api.agent.v1.OutputStream;
import io.goldilocks.api.agent.v1.ProcessPid;
import io.goldilocks.api.agent.v1.StatsResponse;
import io.goldilocks.shim.agent.AgentClient;
import io.goldilocks.shim.agent.AgentClientConfig;
import io.goldilocks.shim.agent.GuestEvent;
import io.goldilocks.shim.agent.GuestExit;
import io.goldilocks.shim.agent.OutputPump;
import io.goldilocks.shim.agent.StdinPump;
import io.goldilocks.ttrpc.TtrpcException;
import com.google.protobuf.ByteString;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * {@link GuestAgent} over the host-side {@link AgentClient} (which owns the wire, the deadlines and the checks of
 * what the guest answers); this class only translates between the sandbox's records and agent.proto. Thread-safe.
 */
final class AgentClientGuestAgent implements GuestAgent {
  /** UINT64_MAX on the wire: "max", no limit. */
  private static final long UNLIMITED = -1L;

  private final AgentClient client;

  AgentClientGuestAgent(AgentClient client) {
    this.client = client;
  }

  /** Connects to the host end of the agent's virtio-serial port. */
  static GuestAgent connect(Path socket, Duration callDeadline) throws TtrpcException {
    AgentClientConfig defaults = AgentClientConfig.defaults();
    AgentClientConfig config = new AgentClientConfig(callDeadline, max(callDeadline, defaults.startTimeout()),
        max(callDeadline, defaults.removeTimeout()));
    return new AgentClientGuestAgent(AgentClient.connect(socket, config));
  }

  @Override
  public Health check(Duration deadline) throws TtrpcException {
    CheckResponse r = client.checkHealth(deadline);
    return new Health(r.getAgentVersion(), r.getKernelRelease(), r.getUptimeMillis());
  }

  @Override
  public void createSandbox(String sandboxId, String shareTag, String guestPath) throws TtrpcException {
    client.createSandbox(CreateSandboxRequest.newBuilder().setSandboxId(sandboxId)
        .addMounts(GuestMount.newBuilder().setSource(shareTag).setTarget(guestPath).setFstype("virtiofs"))
        .build());
  }

  @Override
  public void configureNetwork(io.goldilocks.spi.network.NetworkPlan plan) throws TtrpcException {
    client.configureNetwork(GuestNetworkRequest.of(plan));
  }

  @Override
  public void destroySandbox(String sandboxId) throws TtrpcException {
    client.destroySandbox(sandboxId);
  }

  @Override
  public void createContainer(String containerId, byte[] ociSpec, String guestRootfs, StdioFlags stdio)
      throws TtrpcException {
    client.createContainer(CreateContainerRequest.newBuilder().setContainerId(containerId)
        .setOciSpec(ByteString.copyFrom(ociSpec)).setRootfsPath(guestRootfs).setStdio(stdio(stdio)).build());
  }

  @Override
  public int startContainer(String containerId) throws TtrpcException {
    return client.startContainer(containerId);
  }

  @Override
  public int execProcess(ProcessRef ref, byte[] processSpec, StdioFlags stdio) throws TtrpcException {
    return client.execProcess(ExecProcessRequest.newBuilder().setContainerId(ref.containerId())
        .setExecId(ref.execId()).setProcess(ByteString.copyFrom(processSpec)).setStdio(stdio(stdio)).build());
  }

  @Override
  public void signal(ProcessRef ref, int signal, boolean all) throws TtrpcException {
    client.signalProcess(ref.containerId(), ref.execId(), signal, all);
  }

  @Override
  public ExitStatus waitProcess(ProcessRef ref, Duration deadline) throws TtrpcException {
    GuestExit exit = client.waitProcess(ref.containerId(), ref.execId(), deadline);
    return ExitStatus.exited(exit.status(), exit.exitedAt());
  }

  @Override
  public Pump pumpOutput(ProcessRef ref, boolean stderr, java.io.OutputStream sink) throws TtrpcException {
    OutputPump pump = client.pumpOutput(ref.containerId(), ref.execId(),
        stderr ? OutputStream.STDERR : OutputStream.STDOUT, sink);
    return pump(pump.done(), pump::close);
  }

  @Override
  public Pump pumpStdin(ProcessRef ref, InputStream source) throws TtrpcException {
    StdinPump pump = client.pumpStdin(ref.containerId(), ref.execId(), source, true);
    return pump(pump.done(), pump::close);
  }

  @Override
  public void closeStdin(ProcessRef ref) throws TtrpcException {
    client.closeStdin(ref.containerId(), ref.execId());
  }

  @Override
  public void resizeTty(ProcessRef ref, int columns, int rows) throws TtrpcException {
    client.resizeTty(ref.containerId(), ref.execId(), columns, rows);
  }

  @Override
  public List<ProcessInfo> listPids(String containerId) throws TtrpcException {
    List<ProcessInfo> pids = new ArrayList<>();
    for (ProcessPid p : client.listPids(containerId)) {
      pids.add(new ProcessInfo(p.getPid(), p.getExecId()));
    }
    return pids;
  }

  @Override
  public ContainerStats stats(String containerId) throws TtrpcException {
    StatsResponse r = client.stats(containerId);
    long memoryLimit = r.getMemory().getUsageLimit() == UNLIMITED ? 0 : r.getMemory().getUsageLimit();
    return new ContainerStats(r.getCpu().getUsageUsec(), r.getCpu().getUserUsec(), r.getCpu().getSystemUsec(),
        r.getMemory().getUsage(), memoryLimit, r.getMemory().getSwapUsage(), r.getPids().getCurrent(),
        r.getPids().getLimit(), r.getMemoryEvents().getOomKill());
  }

  @Override
  public void update(String containerId, byte[] linuxResources) throws TtrpcException {
    client.updateContainer(containerId, linuxResources);
  }

  @Override
  public void pause(String containerId) throws TtrpcException {
    client.pauseContainer(containerId);
  }

  @Override
  public void resume(String containerId) throws TtrpcException {
    client.resumeContainer(containerId);
  }

  @Override
  public void removeContainer(String containerId, boolean force) throws TtrpcException {
    client.removeContainer(containerId, force);
  }

  @Override
  public AutoCloseable subscribeOom(Consumer<String> oomContainer) throws TtrpcException {
    return client.subscribeEvents(event -> {
      if (event instanceof GuestEvent.OomKilled oom) {
        oomContainer.accept(oom.containerId());
      }
    }, failure -> { });
  }

  @Override
  public void onClose(Runnable listener) {
    client.onClose(listener);
  }

  @Override
  public void close() {
    client.close();
  }

  private static io.goldilocks.api.agent.v1.Stdio stdio(StdioFlags flags) {
    return io.goldilocks.api.agent.v1.Stdio.newBuilder().setTerminal(flags.terminal()).setStdin(flags.stdin())
        .setStdout(flags.stdout()).setStderr(flags.stderr()).build();
  }

  private static Pump pump(CompletableFuture<Long> done, Runnable close) {
    return new Pump() {
      @Override
      public CompletableFuture<Long> done() {
        return done;
      }

      @Override
      public void close() {
        close.run();
      }
    };
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
