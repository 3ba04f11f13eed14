package io.goldilocks.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixSocketsTest {
  private static final String SAMPLE = String.join("\n",
      "Num       RefCount Protocol Flags    Type St Inode Path",
      "0000000000000000: 00000002 00000000 00010000 0001 01 30781 /run/vm/x/fs0.sock",
      "0000000000000000: 00000002 00000000 00000000 0001 01 30782 /run/vm/x/fs1.sock",
      "0000000000000000: 00000003 00000000 00000000 0001 03 30783");

  @Test
  void onlyASocketWithTheAcceptFlagListens() {
    assertThat(UnixSockets.isListening(SAMPLE, "/run/vm/x/fs0.sock")).isTrue();
    assertThat(UnixSockets.isListening(SAMPLE, "/run/vm/x/fs1.sock")).isFalse(); // bound, not yet listening
    assertThat(UnixSockets.isListening(SAMPLE, "/run/vm/x/absent.sock")).isFalse();
  }

  @Test
  void seesARealListeningSocket(@TempDir Path dir) throws Exception {
    Path socket = dir.resolve("s.sock");
    assertThat(UnixSockets.isListening(socket)).isFalse();
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      assertThat(UnixSockets.isListening(socket)).isTrue();
    }
  }
}
