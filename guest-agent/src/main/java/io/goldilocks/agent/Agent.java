package io.goldilocks.agent;

import io.goldilocks.agent.event.EventQueue;
import io.goldilocks.agent.network.GuestNetwork;
import io.goldilocks.agent.process.CgroupStats;
import io.goldilocks.agent.process.CommandRunner;
import io.goldilocks.agent.process.ContainerManager;
import io.goldilocks.agent.process.GuestSpec;
import io.goldilocks.agent.process.Runc;
import io.goldilocks.agent.sandbox.Sandbox;
import io.goldilocks.ttrpc.Service;
import io.goldilocks.ttrpc.TtrpcServer;
import java.time.Duration;
import java.util.List;

/**
 * The agent's parts wired together: sandbox, containers, events, and the two ttrpc services that expose them.
 * Thread-safe (the parts are).
 */
public final class Agent {
  /** The ttrpc service name of everything but health. */
  public static final String SERVICE = "goldilocks.agent.v1.Agent";
  static final int MAX_CALLS_PER_CONNECTION = 4096;

  private final AgentConfig config;
  private final Sandbox sandbox;
  private final ContainerManager containers;
  private final EventQueue events;

  public Agent(AgentConfig config) {
    this.config = config;
    CommandRunner commands = new CommandRunner();
    this.sandbox = new Sandbox(config.stateDir().resolve("sandbox"), commands, config.applyHostname());
    this.events = new EventQueue(EventQueue.DEFAULT_CAPACITY);
    Runc runc = new Runc(config.runc(), config.runcRoot(), commands);
    this.containers = new ContainerManager(config.stateDir().resolve("bundles"), runc,
        () -> new GuestSpec(config.cgroupParent(), sandbox.containerFiles()), commands,
        new CgroupStats(config.cgroupMount()), events, config.outputCapacity());
  }

  /** Starts background work (the OOM poll). */
  public Agent start() {
    containers.startOomPolling(Duration.ofSeconds(2));
    return this;
  }

  public AgentConfig config() {
    return config;
  }

  public ContainerManager containers() {
    return containers;
  }

  /** The Health and Agent services. */
  public List<Service> services() {
    Service.Builder b = Service.builder(SERVICE);
    new SandboxRpc(sandbox, containers).register(b);
    new NetworkRpc(new GuestNetwork(new CommandRunner(), java.nio.file.Path.of("/sys/class/net"))).register(b);
    new ContainerRpc(containers).register(b);
    new StatsRpc(containers).register(b);
    new StdioRpc(containers).register(b);
    new EventsRpc(events).register(b);
    return List.of(new HealthRpc().service(), b.build());
  }

  /** A ttrpc server carrying the agent's services. */
  public TtrpcServer server() {
    // Streams (stdout, stderr, events) and waits each hold a handler for their whole life: 20 execs already need
    // 60+, so the default per-connection limit (64) would queue waits behind streams.
    TtrpcServer.Builder b = TtrpcServer.builder().maxConcurrentCallsPerConnection(MAX_CALLS_PER_CONNECTION);
    services().forEach(b::addService);
    return b.build();
  }

  /** Force-removes every container (shutdown of a host-side test agent). */
  public void removeAllContainers() throws InterruptedException {
    containers.removeAll();
  }
}
