package io.goldilocks.shim.server;

import io.goldilocks.shim.events.EventOrdering;
import io.goldilocks.shim.events.EventQueue;
import io.goldilocks.shim.events.TtrpcEventSender;
import io.goldilocks.shim.launch.BundleFiles;
import io.goldilocks.shim.launch.ShimFlags;
import io.goldilocks.shim.launch.ShimGroup;
import io.goldilocks.shim.plugins.PluginNetwork;
import io.goldilocks.shim.plugins.PodNetns;
import io.goldilocks.shim.plugins.SandboxPlugins;
import io.goldilocks.shim.plugins.ShimPlugins;
import io.goldilocks.shim.sandbox.GoldilocksConfig;
import io.goldilocks.shim.sandbox.GuestSandboxFactory;
import io.goldilocks.shim.sandbox.SandboxFactory;
import io.goldilocks.shim.service.TaskService;
import io.goldilocks.shim.task.SandboxHost;
import io.goldilocks.shim.task.TaskManager;
import io.goldilocks.ttrpc.TtrpcServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    // One plugin host per shim (per sandbox), booting in the background while containerd sends the first Create.
    SandboxPlugins plugins = ShimPlugins.start(group.sandboxId());
    SandboxFactory factory = config -> GuestSandboxFactory.qemu(
        new PluginNetwork(plugins, PodNetns.of(bundle), Map.of())).boot(config);
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
    log.info("goldilocks shim serving group {} (sandbox {}) of namespace {} on {}", group.id(), group.sandboxId(),
        group.namespace(), socket);

    stop.await();
    log.info("shim for group {} stopping", group.id());
    // let the Shutdown response reach containerd before the listener goes
    server.shutdown(Duration.ofMillis(500));
    host.shutdown();
    plugins.close(); // after the sandbox: its network teardown asks the network plugin
    queue.close(Duration.ofSeconds(10));
    sender.close();
    Files.deleteIfExists(socket);
    log.info("shim for group {} stopped", group.id());
    ShimLogging.flush();
    System.exit(0);
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
