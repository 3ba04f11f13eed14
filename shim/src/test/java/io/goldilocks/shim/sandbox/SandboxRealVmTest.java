package io.goldilocks.shim.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldilocks.cli.OciSpec;
import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real guest VMs through {@link Sandbox}: QEMU (TCG here), virtiofsd, the guest image with the agent, runc in the
 * guest, a busybox rootfs. Each boot costs seconds of a shared machine, so one VM carries most checks.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SandboxRealVmTest {
  @TempDir Path tmp;
  private GoldilocksConfig config;
  private Path runtimeRoot;
  private Path rootfs;
  private final SandboxFactory factory = GuestSandboxFactory.qemu(new FakeStorage());

  @BeforeEach
  void setUp() throws Exception {
    config = RealGuest.requireHost();
    runtimeRoot = Files.createDirectories(tmp.resolve("run"));
    rootfs = RealGuest.busyboxRootfs(tmp.resolve("rootfs"));
  }

  @Test
  void oneGuestRunsProcessesLikeALocalRuntime() throws Exception {
    String id = "sbx-main";
    List<SandboxEvent> events = new CopyOnWriteArrayList<>();
    Sandbox sandbox = factory.boot(RealGuest.sandbox(config, id, runtimeRoot).build());
    try {
      sandbox.subscribe(events::add);
      assertThat(sandbox.state()).isEqualTo(SandboxState.READY);
      sandbox.createContainer(new ContainerConfig("c1", spec(false, "sleep", "1000").toJson(), rootfs, false,
          Stdio.none()));
      assertThatThrownBy(() -> sandbox.createContainer(new ContainerConfig("c1", spec(false, "true").toJson(), rootfs,
          false, Stdio.none()))).satisfies(e -> assertThat(code(e)).isEqualTo(Code.ALREADY_EXISTS));
      assertThat(sandbox.startContainer("c1")).isPositive();

      // The guest's own kernel, not the host's.
      Result uname = exec(sandbox, "uname", false, null, "uname", "-r");
      assertThat(uname.code()).isZero();
      assertThat(uname.out().strip()).isNotEmpty().isNotEqualTo(hostKernel());

      // Exit codes, stdout and stderr kept apart.
      Result three = exec(sandbox, "three", false, null, "sh", "-c", "echo out; echo err >&2; exit 3");
      assertThat(three.code()).isEqualTo(3);
      assertThat(three.out()).isEqualTo("out\n");
      assertThat(three.err()).isEqualTo("err\n");
      assertThat(exec(sandbox, "zero", false, null, "true").code()).isZero();
      assertThat(killed(sandbox, "kill9", 9)).isEqualTo(137);
      assertThat(killed(sandbox, "kill15", 15)).isEqualTo(143);

      // stdin reaches the process, and its end closes the process's stdin.
      Result cat = exec(sandbox, "cat", false, "hello from the host\n", "cat");
      assertThat(cat.code()).isZero();
      assertThat(cat.out()).isEqualTo("hello from the host\n");

      // A terminal session: a pty, and resizes reach it.
      assertTerminalWorks(sandbox);

      // 20 execs at once.
      assertConcurrentExecs(sandbox, 20);

      // 64 MiB through stdout, checksummed on both sides.
      assertBulkOutput(sandbox, 64 << 20);

      // Unknown ids and lifecycle errors carry their codes.
      assertThatThrownBy(() -> sandbox.status(ProcessRef.init("nope")))
          .satisfies(e -> assertThat(code(e)).isEqualTo(Code.NOT_FOUND));
      assertThatThrownBy(() -> sandbox.start(ProcessRef.init("c1")))
          .satisfies(e -> assertThat(code(e)).isEqualTo(Code.FAILED_PRECONDITION));
      assertThatThrownBy(() -> sandbox.removeContainer("c1"))
          .satisfies(e -> assertThat(code(e)).isEqualTo(Code.FAILED_PRECONDITION));

      // The init's exit, then removal unmounts the rootfs from the share.
      sandbox.signal(ProcessRef.init("c1"), 9, false);
      assertThat(sandbox.waitProcess(ProcessRef.init("c1")).code()).isEqualTo(137);
      assertThat(sandbox.removeContainer("c1").code()).isEqualTo(137);
      assertThat(Files.readString(Path.of("/proc/mounts"))).doesNotContain(rootfs.toString() + " ");
      assertThat(Files.readAllLines(Path.of("/proc/mounts")).stream().filter(m -> m.contains("/c1/rootfs")))
          .isEmpty();
    } finally {
      sandbox.shutdown();
    }
    assertThat(sandbox.state()).isEqualTo(SandboxState.STOPPED);
    assertThat(RealGuest.leftovers(id, runtimeRoot)).isEmpty();
    assertThat(Files.exists(rootfs.resolve("bin/busybox"))).as("the rootfs survives the sandbox").isTrue();
    List<ProcessRef> exited = events.stream().filter(e -> e instanceof SandboxEvent.ProcessExited)
        .map(e -> ((SandboxEvent.ProcessExited) e).ref()).toList();
    assertThat(exited).contains(ProcessRef.exec("c1", "three"), ProcessRef.init("c1"));
    assertThat(exited.indexOf(ProcessRef.init("c1"))).as("the init's exit comes last").isEqualTo(exited.size() - 1);
  }

  @Test
  void killingQemuUnderARunningProcessIsAnErrorAndLeavesNothing() throws Exception {
    String id = "sbx-qemu-killed";
    Sandbox sandbox = factory.boot(RealGuest.sandbox(config, id, runtimeRoot).build());
    try {
      sandbox.createContainer(new ContainerConfig("c1", spec(false, "sleep", "1000").toJson(), rootfs, false,
          Stdio.none()));
      sandbox.startContainer("c1");
      RealGuest.kill("KILL", RealGuest.qemuOf(id, runtimeRoot).pid());

      ExitStatus status = sandbox.waitProcess(ProcessRef.init("c1"));
      assertThat(status.sandboxLost()).isTrue();
      assertThat(status.code()).isEqualTo(ExitStatus.SANDBOX_LOST);
      assertThat(sandbox.state()).isEqualTo(SandboxState.FAILED);
      assertThat(sandbox.failure()).hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE));
      assertThatThrownBy(() -> sandbox.pids("c1")).satisfies(e -> assertThat(code(e)).isEqualTo(Code.UNAVAILABLE));
    } finally {
      sandbox.shutdown();
    }
    assertThat(RealGuest.leftovers(id, runtimeRoot)).isEmpty();
  }

  @Test
  void anAgentThatStopsAnsweringIsDetectedAndTheVmKilled() throws Exception {
    String id = "sbx-frozen";
    Sandbox sandbox = factory.boot(RealGuest.sandbox(config, id, runtimeRoot)
        .healthInterval(Duration.ofSeconds(1)).healthDeadline(Duration.ofSeconds(5)).build());
    ProcessHandle qemu = null;
    try {
      qemu = RealGuest.qemuOf(id, runtimeRoot);
      sandbox.createContainer(new ContainerConfig("c1", spec(false, "sleep", "1000").toJson(), rootfs, false,
          Stdio.none()));
      sandbox.startContainer("c1");
      RealGuest.kill("STOP", qemu.pid()); // the guest freezes: the agent stops answering, the VM lives on

      ExitStatus status = sandbox.waitProcess(ProcessRef.init("c1"));
      assertThat(status.sandboxLost()).isTrue();
      assertThat(sandbox.failure()).hasValueSatisfying(e -> assertThat(e.getMessage()).contains("health check"));
    } finally {
      sandbox.shutdown();
    }
    assertThat(qemu).isNotNull();
    assertThat(qemu.isAlive()).as("the frozen QEMU was killed").isFalse();
    assertThat(RealGuest.leftovers(id, runtimeRoot)).isEmpty();
  }

  @Test
  void aGuestThatDoesNotComeUpIsKilledAndTheErrorShowsItsConsole() throws Exception {
    GuestImage real = config.guestImage();
    Path missing = tmp.resolve("nowhere/vmlinuz");
    SandboxConfig noKernel = RealGuest.sandbox(config, "sbx-nokernel", runtimeRoot)
        .guestImage(new GuestImage(missing, real.initrd())).build();
    assertThatThrownBy(() -> factory.boot(noKernel))
        .satisfies(e -> assertThat(code(e)).isEqualTo(Code.FAILED_PRECONDITION))
        .hasMessageContaining(missing.toString());

    // A real kernel with an initramfs that holds nothing: the kernel panics, QEMU exits, the boot fails.
    Path emptyInitrd = tmp.resolve("empty.img");
    Process cpio = new ProcessBuilder("sh", "-c", "cd " + tmp + " && mkdir -p empty-root && cd empty-root && "
        + "find . | cpio -o -H newc 2>/dev/null | gzip > " + emptyInitrd).start();
    assertThat(cpio.waitFor(30, TimeUnit.SECONDS) && cpio.exitValue() == 0).isTrue();
    String id = "sbx-panics";
    SandboxConfig panics = RealGuest.sandbox(config, id, runtimeRoot)
        .guestImage(new GuestImage(real.kernel(), emptyInitrd)).bootDeadline(Duration.ofSeconds(90)).build();
    assertThatThrownBy(() -> factory.boot(panics))
        .isInstanceOfSatisfying(SandboxBootException.class, e -> {
          assertThat(e.code()).isIn(Code.UNAVAILABLE, Code.DEADLINE_EXCEEDED);
          assertThat(e.consoleTail()).contains("Kernel panic");
        });
    assertThat(RealGuest.leftovers(id, runtimeRoot)).isEmpty();
  }

  // --- helpers ----------------------------------------------------------------------------------------------------

  private void assertTerminalWorks(Sandbox sandbox) throws Exception {
    CountDownLatch firstSize = new CountDownLatch(1);
    ByteArrayOutputStream out = new ByteArrayOutputStream() {
      @Override
      public synchronized void write(byte[] b, int off, int len) {
        super.write(b, off, len);
        if (toString(StandardCharsets.UTF_8).contains("30 100")) {
          firstSize.countDown();
        }
      }
    };
    ProcessRef ref = ProcessRef.exec("c1", "tty");
    OciSpec sized = new OciSpec(List.of("sh", "-c", "tty; stty size; sleep 3; stty size"), List.of(), "/", 0, 0,
        true, 100, 30);
    sandbox.exec(new ExecConfig("c1", "tty", sized.processToJson(), true,
        Stdio.of(out, OutputStream.nullOutputStream())));
    sandbox.start(ref);
    assertThat(firstSize.await(2, TimeUnit.MINUTES)).as("first size printed: %s", out).isTrue();
    sandbox.resizeTty(ref, 123, 45);
    assertThat(sandbox.waitProcess(ref).code()).isZero();
    String text = out.toString(StandardCharsets.UTF_8);
    // the size from the spec at once (no 0x0 start), then the resize; nothing before the first line
    assertThat(text).startsWith("/dev/pts/").containsSubsequence("30 100", "45 123");
    assertThatThrownBy(() -> sandbox.resizeTty(ProcessRef.exec("c1", "kill9"), 10, 10))
        .satisfies(e -> assertThat(code(e)).isEqualTo(Code.FAILED_PRECONDITION));
  }

  private void assertConcurrentExecs(Sandbox sandbox, int count) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(count);
    try {
      List<Future<Result>> results = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String n = Integer.toString(i);
        results.add(pool.submit(() -> exec(sandbox, "many-" + n, false, null, "sh", "-c", "echo exec-" + n)));
      }
      for (int i = 0; i < count; i++) {
        Result r = results.get(i).get(5, TimeUnit.MINUTES);
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("exec-" + i + "\n");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private void assertBulkOutput(Sandbox sandbox, int bytes) throws Exception {
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    long[] count = new long[1];
    OutputStream digesting = new OutputStream() {
      @Override
      public void write(int b) {
        md5.update((byte) b);
        count[0]++;
      }

      @Override
      public void write(byte[] b, int off, int len) {
        md5.update(b, off, len);
        count[0] += len;
      }
    };
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ProcessRef ref = ProcessRef.exec("c1", "bulk");
    String script = "head -c " + bytes + " /dev/urandom > /tmp/blob && md5sum < /tmp/blob >&2 && cat /tmp/blob"
        + " && rm /tmp/blob";
    sandbox.exec(new ExecConfig("c1", "bulk", spec(false, "sh", "-c", script).processToJson(), false,
        Stdio.of(digesting, err)));
    sandbox.start(ref);
    assertThat(sandbox.waitProcess(ref).code()).isZero();
    assertThat(count[0]).isEqualTo(bytes);
    assertThat(err.toString(StandardCharsets.UTF_8).split("\\s+")[0]).isEqualTo(HexFormat.of().formatHex(md5.digest()));
  }

  private int killed(Sandbox sandbox, String execId, int signal) throws Exception {
    ProcessRef ref = ProcessRef.exec("c1", execId);
    sandbox.exec(new ExecConfig("c1", execId, spec(false, "sleep", "1000").processToJson(), false, Stdio.none()));
    sandbox.start(ref);
    sandbox.signal(ref, signal, false);
    return sandbox.waitProcess(ref).code();
  }

  private static Result exec(Sandbox sandbox, String execId, boolean tty, String stdin, String... args)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Stdio stdio = stdin == null ? Stdio.of(out, err)
        : Stdio.of(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out, err);
    ProcessRef ref = ProcessRef.exec("c1", execId);
    sandbox.exec(new ExecConfig("c1", execId, spec(tty, args).processToJson(), tty, stdio));
    sandbox.start(ref);
    int code = sandbox.waitProcess(ref).code();
    sandbox.removeExec(ref);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static OciSpec spec(boolean tty, String... args) {
    return new OciSpec(List.of(args), List.of(), "/", 0, 0, tty);
  }

  private static String hostKernel() throws Exception {
    Process p = new ProcessBuilder("uname", "-r").start();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
  }

  private static Code code(Throwable e) {
    return e instanceof TtrpcException t ? t.code() : null;
  }

  private record Result(int code, String out, String err) {}
}
