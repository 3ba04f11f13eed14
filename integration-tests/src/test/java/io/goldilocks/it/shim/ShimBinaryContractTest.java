package io.goldilocks.it.shim;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldilocks.api.containerd.task.v2.DeleteResponse;
import io.goldilocks.testing.HostRequirements;
import java.io.File;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shim binary's {@code start}/{@code delete} contract as containerd 1.6 uses it (research:
 * containerd-on-this-machine.md §3), run through the real launcher with no containerd and no VM: only the bundle
 * files, the socket and the server process are involved.
 */
@Timeout(120)
class ShimBinaryContractTest {
  @TempDir Path dir;
  private Path address;
  private final List<Path> sockets = new ArrayList<>();

  @BeforeEach
  void setUp() {
    HostRequirements.requireRoot();
    address = dir.resolve("containerd.sock");
  }

  @AfterEach
  void removeSockets() throws Exception {
    for (Path s : sockets) {
      Files.deleteIfExists(s);
      Files.deleteIfExists(s.resolveSibling(s.getFileName() + ".lock"));
    }
  }

  private Path bundle(String id, String annotations) throws Exception {
    Path bundle = Files.createDirectories(dir.resolve("state/" + id));
    Files.createDirectories(bundle.resolve("rootfs"));
    Files.writeString(bundle.resolve("config.json"), "{\"ociVersion\":\"1.0.2\",\"annotations\":{" + annotations
        + "}}");
    return bundle;
  }

  private record Run(int exit, byte[] stdout, String stderr) {}

  private Run shim(Path bundle, String id, String... tail) throws Exception {
    List<String> command = new ArrayList<>(List.of(ShimLauncher.binary().toString(), "-namespace", "it",
        "-address", address.toString(), "-publish-binary", "/usr/bin/containerd", "-id", id));
    command.addAll(List.of(tail));
    Path err = dir.resolve("stderr-" + System.nanoTime());
    Process p = new ProcessBuilder(command).directory(bundle.toFile())
        .redirectInput(new File("/dev/null")).redirectError(err.toFile()).start();
    byte[] out = p.getInputStream().readAllBytes(); // returns only when every holder of stdout closed it
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out, Files.readString(err));
  }

  private static String sha256(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  private static boolean connectable(Path socket) {
    try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      return c.connect(UnixDomainSocketAddress.of(socket));
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void startPrintsTheAddressAloneLeavesAServerAndDeleteCleansUpIdempotently() throws Exception {
    Path bundle = bundle("c1", "");
    Path socket = Path.of("/run/containerd/s", sha256(address + "/it/c1"));
    sockets.add(socket);

    Run start = shim(bundle, "c1", "start");

    assertThat(start.exit()).as(start.stderr()).isZero();
    assertThat(new String(start.stdout(), StandardCharsets.UTF_8)).isEqualTo("unix://" + socket);
    assertThat(connectable(socket)).isTrue();
    assertThat(Files.readString(bundle.resolve("address"))).isEqualTo("unix://" + socket);
    long serverPid = Long.parseLong(Files.readString(bundle.resolve("shim.pid")).trim());
    assertThat(ProcessHandle.of(serverPid)).isPresent();

    Run delete = shim(bundle, "c1", "-bundle", bundle.toString(), "delete");

    assertThat(delete.exit()).as(delete.stderr()).isZero();
    DeleteResponse response = DeleteResponse.parseFrom(delete.stdout());
    assertThat(response.getExitStatus()).isEqualTo(137);
    assertThat(response.getExitedAt().getSeconds()).isPositive();
    assertThat(ProcessHandle.of(serverPid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
    assertThat(socket).doesNotExist();

    Run again = shim(bundle, "c1", "-bundle", bundle.toString(), "delete");
    assertThat(again.exit()).as(again.stderr()).isZero();
    assertThat(DeleteResponse.parseFrom(again.stdout()).getExitStatus()).isEqualTo(137);
  }

  @Test
  void aPodContainerGetsItsSandboxsShimAndAStaleSocketIsReplaced() throws Exception {
    Path socket = Path.of("/run/containerd/s", sha256(address + "/it/sb1"));
    sockets.add(socket);
    // a stale socket: bound once, nobody listening any more
    Files.createDirectories(socket.getParent());
    try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      stale.bind(UnixDomainSocketAddress.of(socket));
    }
    assertThat(socket).exists();
    Path sandbox = bundle("sb1", "\"io.kubernetes.cri.container-type\":\"sandbox\","
        + "\"io.kubernetes.cri.sandbox-id\":\"sb1\"");
    Path container = bundle("app", "\"io.kubernetes.cri.container-type\":\"container\","
        + "\"io.kubernetes.cri.sandbox-id\":\"sb1\"");

    Run first = shim(sandbox, "sb1", "start");
    Run second = shim(container, "app", "start");

    assertThat(first.exit()).as(first.stderr()).isZero();
    assertThat(new String(second.stdout(), StandardCharsets.UTF_8)).isEqualTo("unix://" + socket);
    assertThat(connectable(socket)).isTrue();
    long serverPid = Long.parseLong(Files.readString(sandbox.resolve("shim.pid")).trim());

    Run deleteContainer = shim(container, "app", "-bundle", container.toString(), "delete");
    assertThat(deleteContainer.exit()).as(deleteContainer.stderr()).isZero();
    assertThat(connectable(socket)).as("deleting a pod's container leaves the pod's shim").isTrue();

    Run deleteSandbox = shim(sandbox, "sb1", "-bundle", sandbox.toString(), "delete");
    assertThat(deleteSandbox.exit()).as(deleteSandbox.stderr()).isZero();
    assertThat(ProcessHandle.of(serverPid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
    assertThat(socket).doesNotExist();
  }

  @Test
  void aFailingStartSaysWhyOnItsCombinedOutput() throws Exception {
    Path bundle = bundle("bad", "");
    Run start = shim(bundle, "bad", "-bogus", "start");
    assertThat(start.exit()).isNotZero();
    assertThat(start.stderr()).contains("-bogus");
  }
}
