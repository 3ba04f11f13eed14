package io.goldilocks.shim.server;

import io.goldilocks.shim.events.EventOrdering;
import io.goldilocks.shim.events.EventQueue;
import io.goldilocks.shim.events.TtrpcEventSender;
import io.goldilocks.shim.launch.BundleFiles;
import io.goldilocks.shim.launch.ShimFlags;
import io.goldilocks.shim.launch.ShimGroup;
import io.goldilocks.shim.plugins.DevicePluginSandbox;
import io.goldilocks.shim.plugins.PluginHostConfig;
import io.goldilocks.shim.plugins.PluginNetwork;
import io.goldilocks.shim.plugins.PluginStorage;
import io.goldilocks.shim.plugins.PodNetns;
import io.goldilocks.shim.plugins.SandboxPlugins;
import io.goldilocks.shim.rootfs.Mounts;
import io.goldilocks.shim.sandbox.GoldilocksConfig;
import io.goldilocks.shim.sandbox.GuestSandboxFactory;
import io.goldilocks.shim.sandbox.SandboxFactory;
import io.goldilocks.shim.service.TaskService;
import io.goldilocks.shim.task.SandboxHost;
import io.goldilocks.shim.task.TaskManager;
import io.goldilocks.ttrpc.TtrpcServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-lived shim server ({@code serve}): one per group (pod sandbox or plain container), serving
 * {@code containerd.task.v2.Task} on the socket {@code start} chose, and owning the group's sandbox VM.
 *
 * <p>Lifecycle: listen first (so {@code start} can return), boot the VM on the first Create, stop when Shutdown
 * arrives with no task left (or a short while after the last task was deleted when containerd sends no Shutdown):
 * stop serving, shut the sandbox down, drain the event queue, remove the socket, exit.
 */
public final class ShimServerMain {
  /** How long after the last task was deleted the server waits for containerd's Shutdown before stopping itself. */
  static final Duration IDLE_EXIT = Duration.ofSeconds(30);
  /** How long a plugin lookup waits for the plugin host to finish booting. */
  static final Duration PLUGIN_LOOKUP_WAIT = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(ShimServerMain.class);

  private ShimServerMain() {}

  public static void serve(ShimFlags flags) throws Exception {
    flags.requireIdentity();
    Path bundle = flags.bundle().orElseThrow(() -> new IllegalArgumentException("serve needs -bundle"));
    Path socket = flags.socket().orElseThrow(() -> new IllegalArgumentException("serve needs -socket"));
    ShimLogging.configure(bundle.resolve(BundleFiles.LOG_FIFO), flags.debug());
    ShimGroup group = new ShimGroup(flags.address(), flags.namespace(), flags.id());
    String ttrpcAddress = System.getenv().getOrDefault("TTRPC_ADDRESS", flags.address() + ".ttrpc");

    CountDownLatch stop = new CountDownLatch(1);
    TtrpcEventSender sender = new TtrpcEventSender(Path.of(ttrpcAddress), flags.namespace());
    EventQueue queue = new EventQueue(sender);
    EventOrdering ordering = new EventOrdering(queue);
    TaskManager[] tasks = new TaskManager[1];
    // built on first use: QEMU and the guest image are looked at when the first container arrives
    // the sandbox's network comes from the network plugin, in the netns the first container's spec names
    AtomicReference<SandboxPlugins> plugins = new AtomicReference<>(
        SandboxPlugins.disabled("the plugin host has not started yet"));
    SandboxFactory factory = config -> new DevicePluginSandbox(GuestSandboxFactory.qemu(
        new PluginNetwork(plugins.get(), PodNetns.of(bundle), Map.of()), new PluginStorage(plugins.get(), Map.of()))
        .boot(config), plugins.get(),
        config.sandboxDir());
    SandboxHost host = new SandboxHost(factory,
        () -> GoldilocksConfig.load().sandbox(group.sandboxId()).build(), e -> tasks[0].onSandboxEvent(e));
    tasks[0] = new TaskManager(host, ordering, flags.namespace(), () -> exitWhenStillIdle(tasks[0], stop));
    TtrpcServer server = TtrpcServer.builder()
        .addService(new TaskService(tasks[0], stop::countDown).service())
        .requireSameUser(true)
        .build();
    Files.createDirectories(socket.getParent());
    server.listen(socket);
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    Object socketIdentity = Files.readAttributes(socket, BasicFileAttributes.class).fileKey();
    log.info("goldilocks shim serving group {} (sandbox {}) of namespace {} on {}", group.id(), group.sandboxId(),
        group.namespace(), socket);
    Path sandboxDir = GoldilocksConfig.load().sandbox(group.sandboxId()).build().sandboxDir();
    plugins.set(startPlugins(sandboxDir));

    stop.await();
    log.info("shim for group {} stopping", group.id());
    // let the Shutdown response reach containerd before the listener goes
    server.shutdown(Duration.ofMillis(500));
    host.shutdown();
    plugins.get().close(); // after the sandbox: its network teardown asks the network plugin
    removePluginFiles(sandboxDir);
    queue.close(Duration.ofSeconds(10));
    sender.close();
    removeIfStillOurs(socket, socketIdentity);
    log.info("shim for group {} stopped", group.id());
    ShimLogging.flush();
    System.exit(0);
  }

  /** Boots the plugin host in the background (off the start path); a shim without plugins still serves. */
  private static SandboxPlugins startPlugins(Path sandboxDir) {
    Optional<PluginHostConfig> config = PluginHostSetup.config(System.getenv(), sandboxDir);
    if (config.isEmpty()) {
      String why = "no plugin host: no Felix infrastructure bundles next to the shim (or GOLDILOCKS_PLUGINS=off)";
      log.info(why);
      return SandboxPlugins.disabled(why);
    }
    return SandboxPlugins.start(config.get(), PLUGIN_LOOKUP_WAIT);
  }

  /**
   * The plugin host keeps its listing and cache in the sandbox directory, which the sandbox removes only when empty:
   * remove what is left once both are closed (nothing is mounted there any more by then).
   */
  private static void removePluginFiles(Path sandboxDir) {
    try {
      if (Files.isDirectory(sandboxDir) && !Mounts.hasMountsUnder(sandboxDir)) {
        try (Stream<Path> walk = Files.walk(sandboxDir)) {
          for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    } catch (IOException e) {
      log.warn("cannot remove {}: {}", sandboxDir, e.toString());
    }
  }

  /**
   * Removes the socket file unless it is no longer ours: while the VM was torn down, a new {@code start} for the same
   * id may have found the socket dead and bound a new server at the same path.
   */
  private static void removeIfStillOurs(Path socket, Object identity) {
    try {
      if (Objects.equals(Files.readAttributes(socket, BasicFileAttributes.class).fileKey(), identity)) {
        Files.deleteIfExists(socket);
      }
    } catch (IOException gone) {
      // already removed (the ttrpc server removes the files it bound): nothing to do
    }
  }

  /** After the last task is deleted: stop if nothing new arrived within {@link #IDLE_EXIT}. */
  private static void exitWhenStillIdle(TaskManager tasks, CountDownLatch stop) {
    Thread timer = new Thread(() -> {
      try {
        TimeUnit.MILLISECONDS.sleep(IDLE_EXIT.toMillis());
        if (tasks.isEmpty()) {
          log.info("no task left and no Shutdown from containerd: stopping");
          stop.countDown();
        }
      } catch (InterruptedException ignored) {
        // process exiting
      }
    }, "idle-exit");
    timer.setDaemon(true);
    timer.start();
  }

}
