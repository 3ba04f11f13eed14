package io.goldilocks.it.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The harness itself: a private containerd runs busybox with the default runc runtime and cleans up after itself. */
class PrivateContainerdTest {
  private static PrivateContainerd containerd;

  @BeforeAll
  static void startContainerd() {
    PrivateContainerd.requireHost();
    BusyboxImage.requireHost();
    containerd = PrivateContainerd.start();
    BusyboxImage.importInto(containerd);
  }

  @AfterAll
  static void stopContainerd() {
    if (containerd != null) {
      containerd.close();
    }
  }

  @Test
  void runsBusyboxWithRunc() {
    CommandResult run = containerd.ctr("run", "--rm", BusyboxImage.REFERENCE, "t1", "echo", "hello");

    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(run.stdout()).isEqualTo("hello\n");
  }

  @Test
  void propagatesTheContainersExitCode() {
    CommandResult run = containerd.ctr("run", "--rm", BusyboxImage.REFERENCE, "t2", "sh", "-c", "exit 42");

    assertThat(run.exitCode()).as(run.describe()).isEqualTo(42);
  }

  @Test
  void servesItsOwnSocketsInItsOwnDirectory() {
    assertThat(containerd.grpcSocket()).startsWith(containerd.dir());
    assertThat(Files.exists(containerd.ttrpcSocket())).isTrue();
    assertThat(containerd.ctr("namespaces", "ls", "-q").requireSuccess().stdout())
        .contains(containerd.namespace());
  }

  @Test
  void restartReplacesContainerdAndKeepsARunningTask() throws Exception {
    containerd.ctr("run", "-d", BusyboxImage.REFERENCE, "r1", "sleep", "600").requireSuccess();
    long before = containerd.pid();

    containerd.restart();

    assertThat(containerd.pid()).isNotEqualTo(before);
    assertThat(ProcessHandle.of(before)).isEmpty();
    assertThat(containerd.ctr("task", "ls").requireSuccess().stdout()).containsPattern("r1\\s+\\d+\\s+RUNNING");
    containerd.ctr("task", "kill", "-s", "SIGKILL", "r1").requireSuccess();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!containerd.ctr("task", "delete", "r1").succeeded() && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    containerd.ctr("containers", "rm", "r1").requireSuccess();
  }

  @Test
  void criPluginLoadsWithTheRuncRuntime() {
    assertThat(criPluginStatus(containerd)).isEqualTo("ok");
  }

  @Test
  void criPluginLoadsWithAnExtraRuntimeHandler() {
    try (PrivateContainerd withHandler = PrivateContainerd.builder()
        .criRuntime("goldilocks", "io.containerd.goldilocks.v2").start()) {
      assertThat(criPluginStatus(withHandler)).isEqualTo("ok");
    }
  }

  /** The STATUS column of {@code ctr plugins ls} for the CRI plugin (TYPE ID PLATFORMS STATUS). */
  private static String criPluginStatus(PrivateContainerd containerd) {
    return containerd.ctr("plugins", "ls").requireSuccess().stdout().lines()
        .map(l -> l.trim().split("\\s+"))
        .filter(cols -> cols.length >= 3 && cols[0].equals("io.containerd.grpc.v1") && cols[1].equals("cri"))
        .map(cols -> cols[cols.length - 1])
        .findFirst().orElse("absent");
  }

  @Test
  void closeRemovesEverythingItCreated() throws Exception {
    PrivateContainerd other = PrivateContainerd.start();
    Path dir = other.dir();
    Path shimSocket;
    try {
      BusyboxImage.importInto(other);
      other.ctr("run", "-d", BusyboxImage.REFERENCE, "left-running", "sleep", "300").requireSuccess();
      shimSocket = HostLeftovers.shimSocket(other.grpcSocket(), other.namespace(), "left-running");
      assertThat(Files.exists(shimSocket)).as("runc shim socket " + shimSocket).isTrue();
      assertThat(Files.isDirectory(HostLeftovers.RUNC_STATE_DIR.resolve(other.namespace()))).isTrue();
    } finally {
      other.close();
    }

    assertThat(Files.exists(dir)).isFalse();
    assertThat(Files.exists(shimSocket)).isFalse();
    assertThat(Files.exists(HostLeftovers.RUNC_STATE_DIR.resolve(other.namespace()))).isFalse();
    assertThat(ProcessHandle.of(other.pid())).isEmpty();
    assertNoCgroupOf(other.namespace());
  }

  @Test
  void closeCleansUpAfterContainerdDiedWithATaskRunning() throws Exception {
    PrivateContainerd crashed = PrivateContainerd.start();
    Path dir = crashed.dir();
    Path shimSocket = HostLeftovers.shimSocket(crashed.grpcSocket(), crashed.namespace(), "orphan");
    long taskPid;
    try {
      BusyboxImage.importInto(crashed);
      crashed.ctr("run", "-d", BusyboxImage.REFERENCE, "orphan", "sleep", "300").requireSuccess();
      taskPid = taskPid(crashed, "orphan");
      ProcessHandle daemon = ProcessHandle.of(crashed.pid()).orElseThrow();
      daemon.destroyForcibly();
      daemon.onExit().get(); // containerd is gone; its shim and the container keep running
    } finally {
      crashed.close();
    }

    assertThat(goneOrZombie(taskPid, Duration.ofSeconds(10))).as("the container's process %d ended", taskPid).isTrue();
    assertThat(Files.exists(shimSocket)).isFalse();
    assertThat(Files.exists(HostLeftovers.RUNC_STATE_DIR.resolve(crashed.namespace()))).isFalse();
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(dir.toString());
    assertThat(Files.exists(dir)).isFalse();
    assertNoCgroupOf(crashed.namespace());
  }

  private static void assertNoCgroupOf(String namespace) throws Exception {
    for (Path hierarchy : HostLeftovers.namespaceCgroupHierarchies()) {
      assertThat(hierarchy.resolve(namespace)).doesNotExist();
    }
  }

  /** Killed processes whose parent died linger as zombies until init reaps them; both count as ended. */
  private static boolean goneOrZombie(long pid, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      try {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) {
          return true;
        }
      } catch (java.io.IOException gone) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  /** The PID column of {@code ctr task ls} for one task. */
  private static long taskPid(PrivateContainerd containerd, String id) {
    return containerd.ctr("task", "ls").requireSuccess().stdout().lines()
        .map(l -> l.trim().split("\\s+"))
        .filter(cols -> cols[0].equals(id))
        .mapToLong(cols -> Long.parseLong(cols[1]))
        .findFirst().orElseThrow();
  }
}
