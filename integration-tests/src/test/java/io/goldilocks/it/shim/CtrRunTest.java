package io.goldilocks.it.shim;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldilocks.it.containerd.BusyboxImage;
import io.goldilocks.it.containerd.CommandResult;
import io.goldilocks.it.containerd.PrivateContainerd;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The acceptance scenarios of "ctr run --runtime io.containerd.goldilocks.v2 runs containers in Goldilocks VMs":
 * a private containerd 1.6, the dev tree's shim, real QEMU and the real guest image.
 */
@Timeout(600)
class CtrRunTest {
  private static final Duration SLOW = Duration.ofMinutes(4);
  private static PrivateContainerd containerd;

  @BeforeAll
  static void up() {
    Path guest = ShimHost.requireVmHost();
    containerd = ShimHost.startContainerd(guest);
  }

  @AfterAll
  static void down() {
    if (containerd != null) {
      containerd.close();
    }
  }

  private static CommandResult run(String id, String... command) {
    List<String> args = new ArrayList<>(List.of("run", "--rm", "--runtime", ShimLauncher.RUNTIME,
        BusyboxImage.REFERENCE, id));
    args.addAll(List.of(command));
    return containerd.ctr(SLOW, args.toArray(String[]::new));
  }

  /** {@code ctr run -d} with our runtime; the task runs once this returns. */
  private static void runDetached(String id, String... command) {
    List<String> args = new ArrayList<>(List.of("run", "-d", "--runtime", ShimLauncher.RUNTIME,
        BusyboxImage.REFERENCE, id));
    args.addAll(List.of(command));
    containerd.ctr(SLOW, args.toArray(String[]::new)).requireSuccess();
  }

  private static long shimPid(String id) throws Exception {
    return Long.parseLong(Files.readString(ShimHost.bundle(containerd, id).resolve("shim.pid")).trim());
  }

  /** Once the task stopped: delete it (its exit code is what delete reports) and the container; nothing remains. */
  private static CommandResult deleteStopped(String id) throws Exception {
    ShimHost.awaitStopped(containerd, id);
    CommandResult delete = containerd.ctr("task", "delete", id);
    containerd.ctr("containers", "rm", id).requireSuccess();
    ShimHost.assertNothingLeft(containerd, id);
    return delete;
  }


  @Test
  void runPrintsTheGuestKernelAndLeavesNothing() throws Exception {
    CommandResult run = run("uname1", "uname", "-r");

    assertThat(run.exitCode()).as(run.describe() + "\n" + containerd.logTail(60)).isZero();
    String hostKernel = new String(new ProcessBuilder("uname", "-r").start().getInputStream().readAllBytes()).trim();
    assertThat(run.stdout().trim()).isNotEmpty().isNotEqualTo(hostKernel);
    ShimHost.assertNothingLeft(containerd, "uname1");
  }

  @Test
  void theContainersExitCodeIsCtrsExitCode() throws Exception {
    CommandResult run = run("exit42", "sh", "-c", "exit 42");

    assertThat(run.exitCode()).as(run.describe()).isEqualTo(42);
    ShimHost.assertNothingLeft(containerd, "exit42");
  }

  @Test
  void theImagesEnvironmentAndWorkingDirectoryAndCtrsOverridesApply() throws Exception {
    CommandResult image = run("env1", "sh", "-c", "echo \"$PATH\"; pwd; id -u");
    assertThat(image.exitCode()).as(image.describe()).isZero();
    assertThat(image.stdout()).isEqualTo("/bin:/sbin:/usr/bin:/usr/sbin\n/\n0\n");

    CommandResult overridden = containerd.ctr(SLOW, "run", "--rm", "--runtime", ShimLauncher.RUNTIME,
        "--cwd", "/tmp", "--env", "GREETING=hi", BusyboxImage.REFERENCE, "env2", "sh", "-c", "pwd; echo $GREETING");
    assertThat(overridden.stdout()).as(overridden.describe()).isEqualTo("/tmp\nhi\n");
  }

  @Test
  void stdinIsPipedIntoTheContainerWithoutATerminal() throws Exception {
    List<String> command = List.of("ctr", "--address", containerd.grpcSocket().toString(), "--namespace",
        containerd.namespace(), "run", "--rm", "--fifo-dir", containerd.dir().resolve("fifo").toString(),
        "--runtime", ShimLauncher.RUNTIME, BusyboxImage.REFERENCE, "stdin1", "sh", "-c", "tr a-z A-Z");
    Process ctr = new ProcessBuilder(command).redirectError(containerd.dir().resolve("stdin1.err").toFile()).start();
    try (OutputStream in = ctr.getOutputStream()) {
      in.write("piped through a vm\n".getBytes(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ctr.getInputStream().transferTo(out);
    assertThat(ctr.waitFor(SLOW.toSeconds(), TimeUnit.SECONDS)).isTrue();

    assertThat(out.toString(StandardCharsets.UTF_8)).as(Files.readString(containerd.dir().resolve("stdin1.err")))
        .isEqualTo("PIPED THROUGH A VM\n");
    assertThat(ctr.exitValue()).isZero();
  }

  @Test
  void logUrisSendTheOutputToAFileOrALoggingBinary() throws Exception {
    Path logs = Files.createDirectories(containerd.dir().resolve("logs"));
    Path file = logs.resolve("c.log");
    CommandResult toFile = containerd.ctr(SLOW, "run", "--rm", "--runtime", ShimLauncher.RUNTIME, "--log-uri",
        "file://" + file, BusyboxImage.REFERENCE, "log1", "sh", "-c", "echo to-out; echo to-err >&2");
    assertThat(toFile.exitCode()).as(toFile.describe()).isZero();
    assertThat(Files.readString(file)).contains("to-out\n").contains("to-err\n");

    Path logger = logs.resolve("logger.sh");
    Files.writeString(logger, "#!/bin/sh\nexec 5>&-\ncat <&3 > " + logs + "/bin.out & cat <&4 > " + logs
        + "/bin.err &\necho \"$CONTAINER_ID $CONTAINER_NAMESPACE\" > " + logs + "/bin.env\nwait\n");
    logger.toFile().setExecutable(true);
    CommandResult toBinary = containerd.ctr(SLOW, "run", "--rm", "--runtime", ShimLauncher.RUNTIME, "--log-uri",
        "binary://" + logger, BusyboxImage.REFERENCE, "log2", "sh", "-c", "echo b-out; echo b-err >&2");
    assertThat(toBinary.exitCode()).as(toBinary.describe()).isZero();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    // the logger writes its files on its own schedule: wait until both streams arrived
    while (System.nanoTime() < deadline && !(Files.exists(logs.resolve("bin.err"))
        && Files.readString(logs.resolve("bin.err")).endsWith("\n")
        && Files.readString(logs.resolve("bin.out")).endsWith("\n"))) {
      Thread.sleep(200);
    }
    assertThat(Files.readString(logs.resolve("bin.out"))).isEqualTo("b-out\n");
    assertThat(Files.readString(logs.resolve("bin.err"))).isEqualTo("b-err\n");
    assertThat(Files.readString(logs.resolve("bin.env"))).isEqualTo("log2 " + containerd.namespace() + "\n");
  }

  @Test
  void aTerminalRunGivesAShellOnAPtyInTheGuest() throws Exception {
    String ctr = String.join(" ", "ctr", "--address", containerd.grpcSocket().toString(), "--namespace",
        containerd.namespace(), "run", "--rm", "-t", "--fifo-dir", containerd.dir().resolve("fifo").toString(),
        "--runtime", ShimLauncher.RUNTIME, BusyboxImage.REFERENCE, "tty1", "sh", "-c", "'tty; read x; echo got:$x; exit 3'");
    Process script = new ProcessBuilder("script", "-qec", ctr, "/dev/null")
        .redirectError(new File("/dev/null")).start();
    try (OutputStream in = script.getOutputStream()) {
      Thread.sleep(500);
      in.write("typed\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
      assertThat(script.waitFor(SLOW.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }
    String out = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(out).contains("/dev/pts/").contains("got:typed");
    assertThat(script.exitValue()).isEqualTo(3);
  }

  /** One VM carries the detached lifecycle, before and after containerd restarts under it. */
  @Test
  void aDetachedTaskIsManageableFromExecToDeleteAcrossAContainerdRestart() throws Exception {
    String id = "detached1";
    runDetached(id, "sh", "-c", "trap 'exit 143' TERM; while true; do sleep 1; done");

    CommandResult exec = containerd.ctr(SLOW, "task", "exec", "--exec-id", "x1", id, "sh", "-c", "echo exec-ok");
    assertThat(exec.stdout()).as(exec.describe()).isEqualTo("exec-ok\n");

    // containerd restarts (an upgrade, a crash): the shim and its VM live on and containerd finds them again
    long shimPid = shimPid(id);
    containerd.restart();
    assertThat(ProcessHandle.of(shimPid)).as("the shim server outlives containerd").isPresent();
    assertThat(containerd.ctr("task", "ls").stdout()).containsPattern(id + "\\s+\\d+\\s+RUNNING");
    CommandResult afterRestart = containerd.ctr(SLOW, "task", "exec", "--exec-id", "x3", id, "sh", "-c",
        "echo still-here");
    assertThat(afterRestart.stdout()).as(afterRestart.describe() + "\n" + containerd.logTail(40))
        .isEqualTo("still-here\n");
    assertThat(containerd.ctr(SLOW, "task", "exec", "--exec-id", "x2", id, "sh", "-c", "exit 7").exitCode())
        .isEqualTo(7);

    CommandResult ps = containerd.ctr("task", "ps", id).requireSuccess();
    assertThat(ps.stdout().lines().skip(1).count()).as(ps.stdout()).isGreaterThanOrEqualTo(1);
    CommandResult metrics = containerd.ctr("task", "metrics", id).requireSuccess();
    assertThat(metrics.stdout()).as(metrics.describe()).containsIgnoringCase("memory");

    containerd.ctr("task", "pause", id).requireSuccess();
    assertThat(containerd.ctr("task", "ls").stdout()).containsPattern(id + "\\s+\\d+\\s+PAUSED");
    containerd.ctr("task", "resume", id).requireSuccess();
    assertThat(containerd.ctr("task", "ls").stdout()).containsPattern(id + "\\s+\\d+\\s+RUNNING");

    containerd.ctr("task", "kill", "-s", "SIGTERM", id).requireSuccess();
    CommandResult delete = deleteStopped(id).requireSuccess();
    assertThat(delete.stdout() + delete.stderr()).contains("exit code 143");
  }

  @Test
  void sigkillEndsATaskWith137() throws Exception {
    String id = "killed1";
    runDetached(id, "sleep", "600");
    containerd.ctr("task", "kill", "-s", "SIGKILL", id).requireSuccess();
    CommandResult delete = deleteStopped(id).requireSuccess();
    assertThat(delete.stdout() + delete.stderr()).contains("exit code 137");
  }

  @Test
  void aKilledShimServerIsNoticedAndItsVmIsGone() throws Exception {
    String id = "shimkill1";
    runDetached(id, "sleep", "600");
    long shimPid = shimPid(id);
    assertThat(ShimHost.pidsMentioning(ShimHost.group(containerd, id).sandboxId())).as("the VM runs").isNotEmpty();

    new ProcessBuilder("kill", "-9", Long.toString(shimPid)).start().waitFor();

    deleteStopped(id); // its exit status is unknown: only that it goes and takes everything with it counts
  }

}
