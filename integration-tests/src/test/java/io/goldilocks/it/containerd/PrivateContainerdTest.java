package io.goldilocks.it.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
  void closeRemovesEverythingItCreated() {
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
  }
}
