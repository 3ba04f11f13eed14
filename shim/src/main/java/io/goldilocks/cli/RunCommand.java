package io.goldilocks.cli;

import io.goldilocks.shim.plugins.ContainerDevices;
import io.goldilocks.shim.plugins.PluginLocations;
import io.goldilocks.shim.plugins.PluginNetwork;
import io.goldilocks.shim.plugins.PluginStorage;
import io.goldilocks.shim.plugins.SandboxPlugins;
import io.goldilocks.shim.sandbox.ContainerConfig;
import io.goldilocks.shim.sandbox.ExitStatus;
import io.goldilocks.shim.sandbox.GoldilocksConfig;
import io.goldilocks.shim.sandbox.GuestSandboxFactory;
import io.goldilocks.shim.sandbox.ProcessRef;
import io.goldilocks.shim.sandbox.Sandbox;
import io.goldilocks.shim.sandbox.SandboxConfig;
import io.goldilocks.shim.sandbox.SandboxFactory;
import io.goldilocks.shim.sandbox.Stdio;
import io.goldilocks.spi.SandboxContext;
import io.goldilocks.spi.device.CdiDevice;
import io.goldilocks.spi.device.DevicePlan;
import io.goldilocks.spi.device.DeviceRequest;
import io.goldilocks.ttrpc.TtrpcException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code goldilocks run}: boots a fresh VM, runs one command in a container on the given rootfs, forwards stdio, exits
 * with the command's exit code (128+n for signal n) and tears the VM down, also on Ctrl-C. Exit codes of its own, as
 * docker's: 125 when the sandbox could not be set up, 255 when it was lost while the command ran.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Runs a command in a container in a fresh guest VM.")
final class RunCommand implements Callable<Integer> {
  static final int SETUP_FAILED = 125;
  static final String CONTAINER_ID = "main";

  @Option(names = "--rootfs", required = true, paramLabel = "DIR", description = "The container's root filesystem.")
  Path rootfs;

  @Option(names = {"-t", "--tty"}, description = "Run on a pseudo-terminal (our terminal goes raw).")
  boolean tty;

  @Option(names = {"-e", "--env"}, paramLabel = "K=V", description = "Environment variable (repeatable).")
  List<String> env = new ArrayList<>();

  @Option(names = {"-w", "--cwd"}, paramLabel = "DIR", defaultValue = "/", description = "Working directory.")
  String cwd;

  @Option(names = {"-u", "--user"}, paramLabel = "UID[:GID]", defaultValue = "0:0", description = "User to run as.")
  String user;

  @Option(names = "--memory", paramLabel = "MiB", description = "Guest memory (default from the configuration).")
  Integer memoryMib;

  @Option(names = "--cpus", paramLabel = "N", description = "Guest vCPUs (default from the configuration).")
  Integer cpus;

  @Option(names = "--no-stdin", description = "Do not forward stdin (the command reads end of file).")
  boolean noStdin;

  @Option(names = "--netns", paramLabel = "PATH", description = "The pod's network namespace (e.g. "
      + "/var/run/netns/NAME, made by CNI): the network plugin connects the VM to it. Without it: loopback only.")
  Path netns;

  @Option(names = "--device", paramLabel = "KIND=NAME", description = "A CDI device (repeatable), e.g. "
      + "nvidia.com/gpu=0 or example.com/hello=world: a device plugin provides it.")
  List<String> devices = new ArrayList<>();

  @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command and its arguments (after --).")
  List<String> command;

  @Override
  public Integer call() {
    int[] ids;
    int[] size = tty ? HostTerminal.size().orElse(new int[] {80, 24}) : new int[] {80, 24};
    try {
      ids = parseUser(user);
      new OciSpec(command, env, cwd, ids[0], ids[1], tty, size[0], size[1]); // validates before anything boots
    } catch (IllegalArgumentException e) {
      return fail(e.getMessage());
    }
    if (!Files.isDirectory(rootfs)) {
      return fail("rootfs " + rootfs + " is not a directory");
    }
    if (netns != null && !Files.exists(netns)) {
      return fail("network namespace " + netns + " does not exist");
    }
    SandboxConfig config;
    try {
      config = sandboxConfig();
    } catch (TtrpcException e) {
      return fail(e.getMessage());
    }
    // The plugin host boots (about a second) while we check the rest; closed on every path: its thread is not a daemon.
    try (SandboxPlugins plugins = SandboxPlugins.start(PluginLocations.find(System.getenv(), Path.of("")),
        config.sandboxDir())) {
      List<String> fullEnv = new ArrayList<>(env);
      try {
        DevicePlan plan = ContainerDevices.plan(plugins, new DeviceRequest(new SandboxContext(config.id(),
            config.sandboxDir(), Map.of()), CONTAINER_ID, List.of(), cdiDevices()));
        plan.containerEnv().forEach((k, v) -> fullEnv.add(k + "=" + v));
      } catch (TtrpcException e) {
        return fail(e.getMessage());
      } catch (IllegalArgumentException e) {
        return fail("--device: " + e.getMessage());
      }
      OciSpec spec = new OciSpec(command, fullEnv, cwd, ids[0], ids[1], tty, size[0], size[1]);
      SandboxFactory factory = GuestSandboxFactory.qemu(
          new PluginNetwork(plugins, Optional.ofNullable(netns).map(Path::toAbsolutePath), Map.of()),
          new PluginStorage(plugins, Map.of()));
      Path bundle;
      try {
        bundle = bundleFor(rootfs.toAbsolutePath());
      } catch (IOException e) {
        return fail("cannot prepare a bundle directory for " + rootfs + ": " + e.getMessage());
      }
      try {
        return new Session(factory, config, spec, bundle.resolve("rootfs"), !noStdin, plugins).run();
      } finally {
        removeBundle(bundle);
      }
    }
  }

  private List<CdiDevice> cdiDevices() {
    return devices.stream().map(CdiDevice::parse).toList();
  }

  private SandboxConfig sandboxConfig() throws TtrpcException {
    GoldilocksConfig defaults = GoldilocksConfig.load();
    defaults.requireGuestImage();
    byte[] random = new byte[4];
    new SecureRandom().nextBytes(random);
    SandboxConfig.Builder builder = defaults.sandbox("run-" + HexFormat.of().formatHex(random));
    if (memoryMib != null) {
      builder.memoryMib(memoryMib);
    }
    if (cpus != null) {
      builder.vcpus(cpus);
    }
    return builder.build();
  }

  static int[] parseUser(String user) {
    String[] parts = user.split(":", -1);
    try {
      if (parts.length > 2) {
        throw new NumberFormatException();
      }
      int uid = Integer.parseInt(parts[0]);
      int gid = parts.length == 2 ? Integer.parseInt(parts[1]) : uid;
      if (uid < 0 || gid < 0) {
        throw new NumberFormatException();
      }
      return new int[] {uid, gid};
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--user wants UID[:GID] as numbers, got " + user);
    }
  }

  static int fail(String message) {
    System.err.println("goldilocks: " + message);
    return SETUP_FAILED;
  }

  /** One run: boot, create, start, wait, tear down; Ctrl-C (a shutdown hook) tears down too. Not thread-safe. */
  static final class Session {
    private final SandboxFactory factory;
    private final SandboxConfig config;
    private final OciSpec spec;
    private final Path rootfs;
    private final boolean forwardStdin;
    /** Closed after the sandbox on Ctrl-C too (the network teardown needs the plugins). */
    private final AutoCloseable plugins;
    private final AtomicReference<Sandbox> sandbox = new AtomicReference<>();
    private volatile HostTerminal terminal;
    private volatile boolean finished;

    Session(SandboxFactory factory, SandboxConfig config, OciSpec spec, Path rootfs, boolean forwardStdin) {
      this(factory, config, spec, rootfs, forwardStdin, () -> { });
    }

    Session(SandboxFactory factory, SandboxConfig config, OciSpec spec, Path rootfs, boolean forwardStdin,
            AutoCloseable plugins) {
      this.plugins = plugins;
      this.factory = factory;
      this.config = config;
      this.spec = spec;
      this.rootfs = rootfs;
      this.forwardStdin = forwardStdin;
    }

    int run() {
      Thread hook = new Thread(this::interrupted, "goldilocks-run-teardown");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        return runInSandbox();
      } finally {
        finished = true;
        restoreTerminal();
        Sandbox s = sandbox.get();
        if (s != null) {
          s.shutdown();
        }
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // already shutting down: the hook runs and finds the sandbox shut down
        }
      }
    }

    private int runInSandbox() {
      Sandbox s;
      try {
        s = factory.boot(config);
      } catch (TtrpcException e) {
        return fail(e.getMessage());
      }
      sandbox.set(s);
      if (finished) {
        return SETUP_FAILED;
      }
      ProcessRef init = ProcessRef.init(CONTAINER_ID);
      try {
        s.createContainer(new ContainerConfig(CONTAINER_ID, spec.toJson(), rootfs, spec.terminal(), stdio()));
        if (spec.terminal()) {
          terminal = HostTerminal.enterRawMode().orElse(null);
        }
        s.start(init);
        if (spec.terminal()) {
          TerminalResizer.forward(s, init);
        }
        ExitStatus status = s.waitProcess(init);
        if (status.sandboxLost()) {
          restoreTerminal();
          System.err.println("goldilocks: " + s.failure().map(Throwable::getMessage).orElse("the sandbox was lost"));
        }
        return status.code();
      } catch (TtrpcException e) {
        restoreTerminal();
        return fail(e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return fail("interrupted");
      }
    }

    private Stdio stdio() {
      OutputStream out = new KeepOpen(new FileOutputStream(FileDescriptor.out));
      OutputStream err = new KeepOpen(new FileOutputStream(FileDescriptor.err));
      return forwardStdin ? Stdio.of(new FileInputStream(FileDescriptor.in), out, err) : Stdio.of(out, err);
    }

    /** Ctrl-C or kill: tear the VM down before the JVM goes. */
    private void interrupted() {
      if (finished) {
        return;
      }
      finished = true;
      restoreTerminal();
      Sandbox s = sandbox.get();
      if (s != null) {
        s.shutdown();
      }
      try {
        plugins.close();
      } catch (Exception e) {
        System.err.println("goldilocks: closing the plugin host: " + e);
      }
    }

    private void restoreTerminal() {
      HostTerminal t = terminal;
      if (t != null) {
        t.restore();
      }
    }
  }

  /** Flushes but never closes our own stdout/stderr when the sandbox closes a process's sinks. */
  static final class KeepOpen extends FilterOutputStream {
    KeepOpen(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  /**
   * A bundle directory in containerd's shape for a rootfs anywhere: storage plugins take a container's rootfs from
   * {@code <bundle>/rootfs} (the SPI's convention), so {@code --rootfs /srv/img} gets a temporary bundle whose
   * {@code rootfs} is a symbolic link to it (mounts resolve the link; nothing of the user's tree is copied or touched).
   */
  private static Path bundleFor(Path rootfs) throws IOException {
    Path bundle = Files.createTempDirectory("goldilocks-run-");
    Files.createSymbolicLink(bundle.resolve("rootfs"), rootfs);
    return bundle;
  }

  /** Removes the link and the directory only: never follows the link into the user's rootfs. */
  private static void removeBundle(Path bundle) {
    try {
      Files.deleteIfExists(bundle.resolve("rootfs"));
      Files.deleteIfExists(bundle);
    } catch (IOException e) {
      System.err.println("goldilocks: could not remove " + bundle + ": " + e.getMessage());
    }
  }
}
