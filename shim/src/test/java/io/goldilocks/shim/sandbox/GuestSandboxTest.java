package io.goldilocks.shim.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldilocks.spi.Mount;
import io.goldilocks.spi.storage.VmStorage;
import io.goldilocks.testing.HostRequirements;
import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox's lifecycle logic against a {@link FakeGuestAgent} and a {@link FakeGuestVm}; the rootfs share is real
 * (bind mounts, so root is needed).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GuestSandboxTest {
  @TempDir Path tmp;
  private final FakeGuestAgent agent = new FakeGuestAgent();
  private final FakeGuestVm vm = new FakeGuestVm();
  private final FakeStorage storage = new FakeStorage();
  private final List<SandboxEvent> events = new CopyOnWriteArrayList<>();
  private SandboxConfig config;
  private Path rootfs;
  private GuestSandbox sandbox;

  @BeforeEach
  void setUp() throws Exception {
    HostRequirements.requireRoot();
    config = GoldilocksConfig.load(Map.of(), tmp).sandbox("s1").runtimeRoot(tmp.resolve("run"))
        .healthInterval(Duration.ofMillis(50)).healthDeadline(Duration.ofMillis(300)).build();
    rootfs = Files.createDirectories(tmp.resolve("rootfs"));
    Files.writeString(rootfs.resolve("marker"), "kept");
    sandbox = GuestSandbox.start(config, vm, agent, RootfsShare.create(config.sandboxDir().resolve("shared")),
        storage);
    sandbox.subscribe(events::add);
  }

  @AfterEach
  void tearDown() {
    if (sandbox != null) {
      sandbox.shutdown();
      assertThat(config.sandboxDir()).doesNotExist();
      assertThat(rootfs.resolve("marker")).exists();
    }
  }

  @Test
  void waitReturnsTheExitAfterTheOutputReachedItsSinks() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    sandbox.createContainer(new ContainerConfig("c1", "{}".getBytes(), rootfs, false, Stdio.of(out, err)));
    assertThat(agent.calls).contains("createContainer c1 /run/goldilocks/shared/fake/c1/root"); // the plan's path
    assertThat(config.sandboxDir().resolve("shared/fake/c1/root/marker")).hasContent("kept");
    assertThat(sandbox.startContainer("c1")).isPositive();
    agent.exit(ProcessRef.init("c1"), 3);

    ExitStatus status = sandbox.waitProcess(ProcessRef.init("c1"));
    assertThat(status.code()).isEqualTo(3);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("out of c1\n");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("err of c1\n");
    assertThat(sandbox.status(ProcessRef.init("c1")).state()).isEqualTo(ProcessState.STOPPED);
    assertThat(sandbox.removeContainer("c1").code()).isEqualTo(3);
    assertThat(config.sandboxDir().resolve("shared/fake")).doesNotExist();
    awaitEvents(1);
    assertThat(events.get(0)).isInstanceOfSatisfying(SandboxEvent.ProcessExited.class,
        e -> assertThat(e.status().code()).isEqualTo(3));
  }

  @Test
  void callsOutsideTheLifecycleFailWithTheirCodes() throws Exception {
    assertCode(() -> sandbox.createContainer(new ContainerConfig("bad/id", "{}".getBytes(), rootfs, false,
        Stdio.none())), Code.INVALID_ARGUMENT);
    assertCode(() -> sandbox.createContainer(new ContainerConfig("c1", new byte[0], rootfs, false, Stdio.none())),
        Code.INVALID_ARGUMENT);
    sandbox.createContainer(new ContainerConfig("c1", "{}".getBytes(), rootfs, false, Stdio.none()));
    assertCode(() -> sandbox.createContainer(new ContainerConfig("c1", "{}".getBytes(), rootfs, false,
        Stdio.none())), Code.ALREADY_EXISTS);
    assertCode(() -> sandbox.startContainer("nope"), Code.NOT_FOUND);
    assertCode(() -> sandbox.exec(exec("e1")), Code.FAILED_PRECONDITION); // not started yet
    assertCode(() -> sandbox.pause("c1"), Code.FAILED_PRECONDITION);
    sandbox.startContainer("c1");
    assertCode(() -> sandbox.startContainer("c1"), Code.FAILED_PRECONDITION);
    assertCode(() -> sandbox.resume("c1"), Code.FAILED_PRECONDITION);
    assertCode(() -> sandbox.removeContainer("c1"), Code.FAILED_PRECONDITION);
    assertCode(() -> sandbox.resizeTty(ProcessRef.init("c1"), 80, 24), Code.FAILED_PRECONDITION); // no terminal
    sandbox.exec(exec("e1"));
    assertCode(() -> sandbox.exec(exec("e1")), Code.ALREADY_EXISTS);
    assertCode(() -> sandbox.start(ProcessRef.exec("c1", "e2")), Code.NOT_FOUND);
    sandbox.pause("c1");
    assertThat(sandbox.status(ProcessRef.init("c1")).state()).isEqualTo(ProcessState.PAUSED);
    sandbox.resume("c1");
    sandbox.signal(ProcessRef.init("c1"), 9, false);
    assertThat(sandbox.waitProcess(ProcessRef.init("c1")).code()).isEqualTo(137);
    assertCode(() -> sandbox.signal(ProcessRef.init("c1"), 9, false), Code.NOT_FOUND); // already finished
    assertCode(() -> sandbox.signal(ProcessRef.init("c1"), 0, false), Code.INVALID_ARGUMENT);
  }

  @Test
  void thePlansHostMountsAreMadeInOrderAndUndoneWhenTheContainerIsRemoved() throws Exception {
    Path appConf = Files.writeString(tmp.resolve("app.conf"), "setting=1");
    storage.extra = (c, dir) -> List.of(
        Mount.bind(appConf.toString(), dir.resolve("mounts/app.conf").toString(), true),
        Mount.bind(rootfs.toString(), dir.resolve("mounts/data").toString(), false));
    sandbox.createContainer(new ContainerConfig("c1", "{}".getBytes(), rootfs, false, Stdio.none()));

    Path dir = config.sandboxDir().resolve("shared/fake/c1");
    assertThat(dir.resolve("mounts/app.conf")).isRegularFile().hasContent("setting=1");
    assertThatThrownBy(() -> Files.writeString(dir.resolve("mounts/app.conf"), "changed"))
        .isInstanceOf(java.io.IOException.class); // planned read-only
    Files.writeString(dir.resolve("mounts/data/written"), "through the share");
    assertThat(rootfs.resolve("written")).hasContent("through the share"); // read-write lands in the source
    sandbox.removeContainer("c1");
    assertThat(config.sandboxDir().resolve("shared/fake")).doesNotExist();
    assertThat(appConf).hasContent("setting=1");
  }

  @Test
  void aPlanTheSandboxCannotExecuteFailsAndLeavesNothingBehind() throws Exception {
    Path shared = config.sandboxDir().resolve("shared");
    storage.extraVmStorage = List.of(new VmStorage.BlockDevice("data", tmp.resolve("disk.img"), false));
    assertCode(() -> sandbox.createContainer(new ContainerConfig("c1", "{}".getBytes(), rootfs, false,
        Stdio.none())), Code.FAILED_PRECONDITION); // VM devices are fixed at boot
    storage.extraVmStorage = List.of();
    storage.extra = (c, dir) -> List.of(Mount.bind(rootfs.toString(), tmp.resolve("outside").toString(), false));
    assertCode(() -> sandbox.createContainer(new ContainerConfig("c1", "{}".getBytes(), rootfs, false,
        Stdio.none())), Code.FAILED_PRECONDITION); // only into the share
    storage.extra = (c, dir) -> List.of(Mount.bind(tmp.resolve("missing").toString(),
        dir.resolve("mounts/0").toString(), false));
    assertCode(() -> sandbox.createContainer(new ContainerConfig("c1", "{}".getBytes(), rootfs, false,
        Stdio.none())), Code.INVALID_ARGUMENT); // after the rootfs bind: that one is undone
    assertThat(shared.resolve("fake")).doesNotExist();
    assertThat(tmp.resolve("outside")).doesNotExist();
    assertThat(agent.calls).noneMatch(call -> call.startsWith("createContainer"));

    storage.extra = (c, dir) -> List.of();
    sandbox.createContainer(new ContainerConfig("c1", "{}".getBytes(), rootfs, false, Stdio.none())); // id free
    assertThat(shared.resolve("fake/c1/root/marker")).hasContent("kept");
  }

  @Test
  void withoutAStoragePluginCreateFailsAndTheSandboxKeepsWorking() throws Exception {
    sandbox.shutdown();
    sandbox = GuestSandbox.start(config, new FakeGuestVm(), new FakeGuestAgent(),
        RootfsShare.create(config.sandboxDir().resolve("shared")), ContainerStorage.unavailable("plugins are off"));
    assertThatThrownBy(() -> sandbox.createContainer(new ContainerConfig("c1", "{}".getBytes(), rootfs, false,
        Stdio.none()))).isInstanceOfSatisfying(TtrpcException.class, e -> {
          assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION);
          assertThat(e.getMessage()).contains("plugins are off", "goldilocks-storage-virtiofs");
        });
    assertThat(sandbox.state()).isEqualTo(SandboxState.READY);
    assertThat(config.sandboxDir().resolve("shared")).isEmptyDirectory();
  }

  @Test
  void anExecsExitIsPublishedBeforeItsInitsExit() throws Exception {
    sandbox.createContainer(new ContainerConfig("c1", "{}".getBytes(), rootfs, false, Stdio.none()));
    sandbox.startContainer("c1");
    sandbox.exec(exec("e1"));
    sandbox.start(ProcessRef.exec("c1", "e1"));
    agent.exit(ProcessRef.init("c1"), 0);
    Thread.sleep(300); // the init's exit is known first...
    agent.exit(ProcessRef.exec("c1", "e1"), 0);
    sandbox.waitProcess(ProcessRef.init("c1"));
    awaitEvents(2);
    assertThat(events).extracting(e -> ((SandboxEvent.ProcessExited) e).ref())
        .containsExactly(ProcessRef.exec("c1", "e1"), ProcessRef.init("c1")); // ...but published last
  }

  @Test
  void anAgentThatStopsAnsweringLosesTheSandbox() throws Exception {
    sandbox.createContainer(new ContainerConfig("c1", "{}".getBytes(), rootfs, false, Stdio.none()));
    sandbox.startContainer("c1");
    agent.stopAnswering();

    ExitStatus status = sandbox.waitProcess(ProcessRef.init("c1"));
    assertLost(status, "health check");
  }

  @Test
  void aVmThatDiesLosesTheSandbox() throws Exception {
    sandbox.createContainer(new ContainerConfig("c1", "{}".getBytes(), rootfs, false, Stdio.none()));
    sandbox.startContainer("c1");
    vm.die("QEMU exited (status 137)");

    assertLost(sandbox.waitProcess(ProcessRef.init("c1")), "QEMU exited");
  }

  @Test
  void shutdownStopsTheContainersAndCleansUp() throws Exception {
    sandbox.createContainer(new ContainerConfig("c1", "{}".getBytes(), rootfs, false, Stdio.none()));
    sandbox.startContainer("c1");
    sandbox.shutdown();
    assertThat(sandbox.state()).isEqualTo(SandboxState.STOPPED);
    assertThat(agent.calls).contains("destroySandbox s1");
    assertThat(sandbox.waitProcess(ProcessRef.init("c1")).code()).isEqualTo(137);
    assertThat(vm.actions).containsSubsequence("powerOff", "close");
    assertThat(agent.isClosed()).isTrue();
    assertThat(config.sandboxDir()).doesNotExist();
    assertCode(() -> sandbox.createContainer(new ContainerConfig("c2", "{}".getBytes(), rootfs, false,
        Stdio.none())), Code.FAILED_PRECONDITION);
    sandbox.shutdown(); // idempotent
  }

  private void assertLost(ExitStatus status, String why) throws Exception {
    assertThat(status.sandboxLost()).isTrue();
    assertThat(status.code()).isEqualTo(255);
    assertThat(sandbox.state()).isEqualTo(SandboxState.FAILED);
    assertThat(sandbox.failure()).hasValueSatisfying(e -> {
      assertThat(e.code()).isEqualTo(Code.UNAVAILABLE);
      assertThat(e.getMessage()).contains(why);
    });
    sandbox.shutdown(); // waits for the teardown
    assertThat(vm.actions).contains("kill", "close");
    assertThat(config.sandboxDir()).doesNotExist();
    assertCode(() -> sandbox.pids("c1"), Code.UNAVAILABLE);
    awaitEvents(2);
    assertThat(events.get(events.size() - 1)).isInstanceOf(SandboxEvent.SandboxFailed.class);
    assertThat(events).filteredOn(e -> e instanceof SandboxEvent.ProcessExited).hasSize(1);
  }

  private void awaitEvents(int count) throws InterruptedException {
    for (int i = 0; i < 100 && events.size() < count; i++) {
      Thread.sleep(20);
    }
  }

  private static ExecConfig exec(String id) {
    return new ExecConfig("c1", id, "{}".getBytes(), false, Stdio.none());
  }

  private static void assertCode(ThrowingCallable call, Code code) {
    assertThatThrownBy(call).isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(code));
  }
}
