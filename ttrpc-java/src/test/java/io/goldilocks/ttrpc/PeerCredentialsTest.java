package io.goldilocks.ttrpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * requireSameUser: a peer running as another user (nobody, via setpriv) is cut off before any frame is answered,
 * while the same probe run as us is answered. Needs root to switch users.
 */
class PeerCredentialsTest {
  /** Sends one frame (a malformed request: the server answers INVALID_ARGUMENT) and reports what came back. */
  private static final String PROBE = String.join("\n",
      "import socket, struct, sys",
      "s = socket.socket(socket.AF_UNIX)",
      "s.connect(sys.argv[1])",
      "s.settimeout(5)",
      "s.sendall(struct.pack('>IIBB', 3, 1, 1, 0) + b'\\xff\\xff\\x01')",
      "try:",
      "    print('EOF' if s.recv(64) == b'' else 'DATA')",
      "except ConnectionResetError:",
      "    print('EOF')");

  @TempDir Path dir;
  private final TtrpcServer server = TtrpcServer.builder().addService(new EchoService().service())
      .requireSameUser(true).build();

  @AfterEach
  void tearDown() {
    server.close();
  }

  @Test
  void peerOfAnotherUserIsRefusedAndOwnUserServed() throws Exception {
    HostGuard.requireRoot();
    Path setpriv = HostGuard.requireExecutable("setpriv");
    Path python = HostGuard.requireExecutable("/usr/bin/python3");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path socket = dir.resolve("strict.sock");
    server.listen(socket);
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rwxrwxrwx"));

    assertThat(run(List.of(python.toString(), "-c", PROBE, socket.toString()))).isEqualTo("DATA");
    assertThat(run(List.of(setpriv.toString(), "--reuid=65534", "--regid=65534", "--clear-groups",
        python.toString(), "-c", PROBE, socket.toString()))).isEqualTo("EOF");
  }

  private static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
    try {
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("probe finished").isTrue();
      return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    } finally {
      p.destroyForcibly();
    }
  }
}
