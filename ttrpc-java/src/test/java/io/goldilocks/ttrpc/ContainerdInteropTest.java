package io.goldilocks.ttrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UnknownFieldSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our client against a real Go ttrpc server: a private containerd's ttrpc socket, which serves
 * {@code containerd.services.events.ttrpc.v1.Events/Forward} (what shims call to publish events).
 */
class ContainerdInteropTest {
  private static final String EVENTS = "containerd.services.events.ttrpc.v1.Events";

  @TempDir Path dir;
  private Process containerd;
  private Path ttrpcSocket;

  @BeforeEach
  void startContainerd() throws Exception {
    HostGuard.requireRoot();
    Path binary = HostGuard.requireExecutable("containerd");
    Path grpcSocket = dir.resolve("containerd.sock");
    ttrpcSocket = dir.resolve("containerd.sock.ttrpc");
    Path config = dir.resolve("config.toml");
    Files.writeString(config, String.join("\n",
        "version = 2",
        "root = \"" + dir.resolve("root") + "\"",
        "state = \"" + dir.resolve("state") + "\"",
        "disabled_plugins = [\"io.containerd.grpc.v1.cri\"]",
        "[grpc]",
        "  address = \"" + grpcSocket + "\"",
        "[ttrpc]",
        "  address = \"" + ttrpcSocket + "\"",
        ""));
    containerd = new ProcessBuilder(binary.toString(), "--config", config.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("containerd.log").toFile()).start();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!Files.exists(ttrpcSocket)) {
      if (System.nanoTime() > end || !containerd.isAlive()) {
        throw new IllegalStateException("containerd did not start: " + Files.readString(dir.resolve("containerd.log")));
      }
      Thread.sleep(20);
    }
  }

  @AfterEach
  void stopContainerd() throws Exception {
    if (containerd != null) {
      containerd.destroy();
      if (!containerd.waitFor(10, TimeUnit.SECONDS)) {
        containerd.destroyForcibly().waitFor();
      }
    }
  }

  @Test
  void forwardedEventIsAcceptedByGoServer() throws Exception {
    try (TtrpcClient client = TtrpcClient.connect(ttrpcSocket)) {
      Empty reply = client.call(EVENTS, "Forward", forwardRequest("default"), Empty.parser(),
          CallOptions.timeout(Duration.ofSeconds(10)));

      assertThat(reply).isEqualTo(Empty.getDefaultInstance());
    }
  }

  @Test
  void goServerStatusesMapToCodes() throws Exception {
    try (TtrpcClient client = TtrpcClient.connect(ttrpcSocket)) {
      assertThatThrownBy(() -> client.call(EVENTS, "Forward", forwardRequest("not a valid namespace!"),
          Empty.parser(), CallOptions.timeout(Duration.ofSeconds(10))))
          .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT));
      assertThatThrownBy(() -> client.call(EVENTS, "NoSuchMethod", Empty.getDefaultInstance(), Empty.parser(),
          CallOptions.timeout(Duration.ofSeconds(10))))
          .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.UNIMPLEMENTED));
      assertThat(client.call(EVENTS, "Forward", forwardRequest("default"), Empty.parser(), CallOptions.none()))
          .as("connection still usable").isNotNull();
    }
  }

  /** ForwardRequest{envelope=1: Envelope{timestamp=1, namespace=2, topic=3, event=4}}, encoded by field number. */
  private static Empty forwardRequest(String namespace) throws IOException {
    Any event = Any.newBuilder().setTypeUrl("goldilocks.test.Ping").setValue(ByteString.copyFromUtf8("hi")).build();
    UnknownFieldSet envelope = UnknownFieldSet.newBuilder()
        .addField(1, field(Timestamp.newBuilder().setSeconds(1_700_000_000L).build().toByteString()))
        .addField(2, field(ByteString.copyFromUtf8(namespace)))
        .addField(3, field(ByteString.copyFromUtf8("/goldilocks/interop")))
        .addField(4, field(event.toByteString()))
        .build();
    return Empty.newBuilder()
        .setUnknownFields(UnknownFieldSet.newBuilder().addField(1, field(envelope.toByteString())).build())
        .build();
  }

  private static UnknownFieldSet.Field field(ByteString bytes) {
    return UnknownFieldSet.Field.newBuilder().addLengthDelimited(bytes).build();
  }
}
