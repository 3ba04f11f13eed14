package io.goldilocks.shim.sandbox;

import io.goldilocks.hypervisor.ConsoleLog;
import io.goldilocks.hypervisor.Hypervisor;
import io.goldilocks.hypervisor.HypervisorException;
import io.goldilocks.hypervisor.InvalidVmConfigException;
import io.goldilocks.hypervisor.ReadinessProbe;
import io.goldilocks.hypervisor.VirtualMachine;
import io.goldilocks.hypervisor.VmBootException;
import io.goldilocks.hypervisor.VmConfig;
import io.goldilocks.hypervisor.qemu.QemuHypervisor;
import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Boots sandboxes as QEMU guests (through the hypervisor module) whose agent is reached over the virtio-serial port
 * {@link #AGENT_PORT}. The recipe: check the guest image, create the rootfs share, boot the VM with the agent port and
 * the share, wait (under the boot deadline) for the agent's first health check, have the agent mount the share; on any
 * failure, kill the VM and remove everything, and report the guest console's tail. Thread-safe (immutable).
 */
public final class GuestSandboxFactory implements SandboxFactory {
  /** The virtio-serial port the guest agent serves on. */
  public static final String AGENT_PORT = "goldilocks.agent.0";

  private static final Logger log = LoggerFactory.getLogger(GuestSandboxFactory.class);
  /** A health check during boot gives up this much before the boot deadline, so the deadline reports the timeout. */
  private static final Duration PROBE_MARGIN = Duration.ofMillis(200);

  private final Hypervisor hypervisor;
  private final AgentConnector connector;
  private final SandboxNetwork network;
  private final ContainerStorage storage;

  GuestSandboxFactory(Hypervisor hypervisor, AgentConnector connector, SandboxNetwork network,
      ContainerStorage storage) {
    this.hypervisor = hypervisor;
    this.connector = connector;
    this.network = network;
    this.storage = storage;
  }

  /**
   * The production factory: QEMU (KVM where it works, TCG otherwise) and the ttrpc agent client; sandboxes get their
   * network from {@code network} and their containers' storage plans from {@code storage} (plugins).
   */
  public static GuestSandboxFactory qemu(SandboxNetwork network, ContainerStorage storage) {
    return new GuestSandboxFactory(new QemuHypervisor(), AgentClientGuestAgent::connect, network, storage);
  }

  /** A loopback-only production factory whose containers' storage is planned by {@code storage}. */
  public static GuestSandboxFactory qemu(ContainerStorage storage) {
    return qemu(SandboxNetwork.loopbackOnly(), storage);
  }

  @Override
  public Sandbox boot(SandboxConfig config) throws TtrpcException {
    GoldilocksConfig.requireComplete(config.guestImage(), List.of());
    SandboxNetwork.Attachment net = network.attach(config);
    RootfsShare share;
    try {
      share = RootfsShare.create(config.sandboxDir().resolve("shared"));
    } catch (TtrpcException | RuntimeException e) {
      net.close();
      throw e;
    }
    VirtualMachine vm = null;
    AgentProbe probe = new AgentProbe(connector, config.callDeadline());
    try {
      vm = hypervisor.boot(NetworkVmConfig.addTo(vmConfigBuilder(config, share), net).build());
      vm.awaitReady(probe, config.bootDeadline());
      GuestAgent agent = probe.agent();
      log.info("sandbox {}: agent ready ({})", config.id(), probe.health());
      agent.createSandbox(config.id(), RootfsShare.TAG, RootfsShare.GUEST_MOUNT);
      if (!net.plan().isLoopbackOnly()) {
        agent.configureNetwork(net.plan());
      }
      return GuestSandbox.start(config, new NetworkedGuestVm(new HypervisorGuestVm(vm), net), agent, share,
          storage);
    } catch (VmBootException e) {
      cleanUp(config, probe, null, share);
      net.close();
      throw new SandboxBootException(code(e.code()), "sandbox " + config.id() + " did not boot: " + reason(e),
          String.join("\n", e.consoleTail()), e);
    } catch (InvalidVmConfigException e) {
      cleanUp(config, probe, vm, share);
      net.close();
      throw new TtrpcException(Code.INVALID_ARGUMENT, "sandbox " + config.id() + ": " + e.getMessage(), e);
    } catch (HypervisorException e) {
      cleanUp(config, probe, vm, share);
      net.close();
      throw new TtrpcException(code(e.code()), "sandbox " + config.id() + ": " + e.getMessage(), e);
    } catch (TtrpcException | RuntimeException e) {
      String tail = vm == null ? "" : String.join("\n", ConsoleLog.tail(vm.consoleLog()));
      cleanUp(config, probe, vm, share);
      net.close();
      Code code = e instanceof TtrpcException te ? te.code() : Code.INTERNAL;
      throw new SandboxBootException(code, "sandbox " + config.id() + " did not start: " + e.getMessage(), tail, e);
    }
  }

  private static VmConfig.Builder vmConfigBuilder(SandboxConfig config, RootfsShare share) {
    GuestImage image = config.guestImage();
    VmConfig.Builder builder = VmConfig.builder(config.id());
    image.rootDisk().ifPresent(disk -> builder.readOnlyDisk("root", disk)); // first disk: the guest's /dev/vda
    return builder
        .vcpus(config.vcpus())
        .memoryMib(config.memoryMib())
        .kernel(image.kernel())
        .initrd(image.initrd())
        .kernelArgs(image.kernelArgs().toArray(String[]::new))
        .runRoot(config.vmRunRoot())
        .serialPort(AGENT_PORT)
        .share(RootfsShare.TAG, share.hostDir());
  }

  private static void cleanUp(SandboxConfig config, AgentProbe probe, VirtualMachine vm, RootfsShare share) {
    probe.close();
    if (vm != null) {
      vm.close();
    }
    share.close();
    try {
      Files.deleteIfExists(config.sandboxDir());
    } catch (IOException e) {
      log.warn("cannot remove {}: {}", config.sandboxDir(), e.toString());
    }
  }

  /** The boot failure's own words, without the console section the exception's message appends. */
  private static String reason(VmBootException e) {
    String message = e.getMessage();
    int console = message.indexOf("\n---");
    String reason = console < 0 ? message : message.substring(0, console);
    return e.getCause() == null ? reason : reason + " (last probe: " + e.getCause().getMessage() + ")";
  }

  private static Code code(HypervisorException.Code code) {
    return Code.valueOf(code.name());
  }

  /** Agent-ready: the first health check answered. Connects on first use; keeps the connection for the sandbox. */
  private static final class AgentProbe implements ReadinessProbe, AutoCloseable {
    private final AgentConnector connector;
    private final Duration callDeadline;
    /** Guarded by this. */
    private GuestAgent agent;
    /** Guarded by this. */
    private GuestAgent.Health health;

    AgentProbe(AgentConnector connector, Duration callDeadline) {
      this.connector = connector;
      this.callDeadline = callDeadline;
    }

    @Override
    public synchronized boolean isReady(VirtualMachine vm, Duration timeLeft) throws Exception {
      if (agent == null) {
        agent = connector.connect(vm.serialPortSocket(AGENT_PORT), callDeadline);
      }
      Duration deadline = timeLeft.minus(PROBE_MARGIN);
      if (deadline.isNegative() || deadline.isZero()) {
        return false;
      }
      try {
        // One call that waits for the guest: QEMU holds our request until the agent opens its port.
        health = agent.check(deadline);
        return true;
      } catch (TtrpcException e) {
        if (e.code() == Code.UNAVAILABLE) {
          agent.close();
          agent = null;
        }
        throw e;
      }
    }

    synchronized GuestAgent agent() {
      return agent;
    }

    synchronized GuestAgent.Health health() {
      return health;
    }

    @Override
    public synchronized void close() {
      if (agent != null) {
        agent.close();
        agent = null;
      }
    }
  }
}
