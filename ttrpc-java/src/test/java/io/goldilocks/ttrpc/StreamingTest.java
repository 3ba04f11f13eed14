package io.goldilocks.ttrpc;

import static io.goldilocks.ttrpc.EchoService.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.goldilocks.ttrpc.testproto.EchoRequest;
import io.goldilocks.ttrpc.testproto.EchoResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Server-, client- and bidirectional streams (ttrpc 1.2 data frames) over both transports. */
class StreamingTest {
  @TempDir Path dir;
  private final EchoService echo = new EchoService();
  private final TtrpcServer server = TtrpcServer.builder().addService(echo.service()).build();
  private TtrpcClient client;

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.close();
    }
    server.close();
  }

  private ClientStream<EchoRequest, EchoResponse> open(String method, EchoRequest first, boolean clientStreaming)
      throws TtrpcException {
    return client.stream(EchoService.NAME, method, first, EchoResponse.parser(), CallOptions.none(),
        clientStreaming);
  }

  @ParameterizedTest
  @EnumSource(Endpoint.class)
  void serverStreamDeliversAllMessagesThenEnds(Endpoint endpoint) throws Exception {
    client = endpoint.connect(server, dir);
    EchoRequest ask = EchoRequest.newBuilder().setCount(5).setData(ByteString.copyFrom(new byte[3])).build();

    try (var stream = open("Generate", ask, false)) {
      List<Integer> indexes = new ArrayList<>();
      for (EchoResponse r = stream.receive(); r != null; r = stream.receive()) {
        indexes.add(r.getIndex());
      }
      assertThat(indexes).containsExactly(0, 1, 2, 3, 4);
      assertThat(stream.receive()).isNull();
    }
  }

  @ParameterizedTest
  @EnumSource(Endpoint.class)
  void serverStreamErrorArrivesAfterItsData(Endpoint endpoint) throws Exception {
    client = endpoint.connect(server, dir);

    try (var stream = open("Generate", request("error:FAILED_PRECONDITION:not running"), false)) {
      assertThat(stream.receive().getText()).isEqualTo("before error");
      assertThatThrownBy(stream::receive).isInstanceOfSatisfying(TtrpcException.class, e -> {
        assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION);
        assertThat(e.getMessage()).isEqualTo("not running");
      });
    }
  }

  @ParameterizedTest
  @EnumSource(Endpoint.class)
  void clientStreamGetsOneResponseAfterCloseSend(Endpoint endpoint) throws Exception {
    client = endpoint.connect(server, dir);
    CRC32 expected = new CRC32();

    try (var stream = open("Collect", null, true)) {
      for (int i = 0; i < 10; i++) {
        byte[] data = ("part " + i).getBytes();
        expected.update(data);
        stream.send(EchoRequest.newBuilder().setData(ByteString.copyFrom(data)).build());
      }
      stream.closeSend();
      EchoResponse result = stream.receive();
      assertThat(result.getIndex()).isEqualTo(10);
      assertThat(result.getText()).isEqualTo(Long.toString(expected.getValue()));
      assertThat(stream.receive()).isNull();
    }
  }

  @ParameterizedTest
  @EnumSource(Endpoint.class)
  void clientStreamCountsAnEmptyFirstMessage(Endpoint endpoint) throws Exception {
    // An all-default first message serializes to zero bytes: it must still count as a message.
    client = endpoint.connect(server, dir);

    try (var stream = open("Collect", EchoRequest.getDefaultInstance(), true)) {
      stream.closeSend();
      assertThat(stream.receive().getIndex()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Endpoint.class)
  void bidiStreamEchoesInterleaved(Endpoint endpoint) throws Exception {
    client = endpoint.connect(server, dir);

    try (var stream = open("Chat", null, true)) {
      for (int i = 0; i < 20; i++) {
        stream.send(request("m" + i));
        EchoResponse r = stream.receive(Duration.ofSeconds(5));
        assertThat(r.getText()).isEqualTo("m" + i);
        assertThat(r.getIndex()).isEqualTo(i);
      }
      stream.closeSend();
      assertThat(stream.receive()).isNull();
    }
  }

  @ParameterizedTest
  @EnumSource(Endpoint.class)
  void bidiStreamErrorEndsCallAndRefusesFurtherSends(Endpoint endpoint) throws Exception {
    client = endpoint.connect(server, dir);

    try (var stream = open("Chat", request("first"), true)) {
      assertThat(stream.receive().getText()).isEqualTo("first");
      stream.send(request("error:ABORTED:conflict"));
      assertThatThrownBy(stream::receive)
          .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.ABORTED));
      assertThatThrownBy(() -> stream.send(request("late")))
          .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.ABORTED));
    }
    assertThat(client.call(EchoService.NAME, "Echo", request("ok"), EchoResponse.parser(), CallOptions.none())
        .getText()).isEqualTo("ok");
  }

  @ParameterizedTest
  @EnumSource(Endpoint.class)
  void receiveTimeoutLeavesStreamUsable(Endpoint endpoint) throws Exception {
    client = endpoint.connect(server, dir);

    try (var stream = open("Chat", null, true)) {
      assertThatThrownBy(() -> stream.receive(Duration.ofMillis(50)))
          .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.DEADLINE_EXCEEDED));
      stream.send(request("later"));
      assertThat(stream.receive(Duration.ofSeconds(5)).getText()).isEqualTo("later");
    }
  }

  @ParameterizedTest
  @EnumSource(Endpoint.class)
  void largeServerStreamArrivesIntact(Endpoint endpoint) throws Exception {
    client = endpoint.connect(server, dir);
    int chunk = 1 << 20;
    int count = 64; // 64 MiB
    EchoRequest ask = EchoRequest.newBuilder().setCount(count).setData(ByteString.copyFrom(new byte[chunk])).build();
    CRC32 expected = new CRC32();
    Random random = new Random(count); // the server's generator, same seed
    byte[] buf = new byte[chunk];
    for (int i = 0; i < count; i++) {
      random.nextBytes(buf);
      expected.update(buf);
    }

    CRC32 actual = new CRC32();
    long bytes = 0;
    try (var stream = open("Generate", ask, false)) {
      for (EchoResponse r = stream.receive(); r != null; r = stream.receive()) {
        actual.update(r.getData().asReadOnlyByteBuffer());
        bytes += r.getData().size();
      }
    }
    assertThat(bytes).isEqualTo((long) chunk * count);
    assertThat(actual.getValue()).isEqualTo(expected.getValue());
  }

  @Test
  void largeClientStreamArrivesIntact() throws Exception {
    client = Endpoint.UNIX_SOCKET.connect(server, dir);
    CRC32 expected = new CRC32();
    Random random = new Random(7);
    byte[] buf = new byte[1 << 20];

    try (var stream = open("Collect", null, true)) {
      for (int i = 0; i < 32; i++) {
        random.nextBytes(buf);
        expected.update(buf);
        stream.send(EchoRequest.newBuilder().setData(ByteString.copyFrom(buf)).build());
      }
      stream.closeSend();
      EchoResponse result = stream.receive(Duration.ofSeconds(20));
      assertThat(result.getIndex()).isEqualTo(32);
      assertThat(result.getText()).isEqualTo(Long.toString(expected.getValue()));
    }
  }

  @Test
  void streamDeadlineFailsStream() throws Exception {
    client = Endpoint.UNIX_SOCKET.connect(server, dir);

    try (var stream = client.stream(EchoService.NAME, "Chat", null, EchoResponse.parser(),
        CallOptions.timeout(Duration.ofMillis(150)), true)) {
      assertThatThrownBy(stream::receive)
          .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.DEADLINE_EXCEEDED));
    }
  }

  @Test
  void oversizedStreamMessageIsRefusedBeforeSending() throws Exception {
    client = Endpoint.UNIX_SOCKET.connect(server, dir);

    try (var stream = open("Chat", null, true)) {
      EchoRequest huge = EchoRequest.newBuilder().setData(ByteString.copyFrom(new byte[5 << 20])).build();
      assertThatThrownBy(() -> stream.send(huge))
          .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.RESOURCE_EXHAUSTED));
      stream.send(request("small"));
      assertThat(stream.receive(Duration.ofSeconds(5)).getText()).isEqualTo("small");
    }
  }

  @Test
  void clientStreamingHandlerThatNeverAnswersIsInternal() throws Exception {
    client = Endpoint.UNIX_SOCKET.connect(server, dir);

    try (var stream = open("Collect", request("forget"), true)) {
      assertThatThrownBy(stream::receive)
          .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.INTERNAL));
    }
  }

  @Test
  void closingAStreamEarlyCancelsItLocallyAndConnectionLives() throws Exception {
    client = Endpoint.UNIX_SOCKET.connect(server, dir);
    var stream = open("Chat", request("one"), true);
    assertThat(stream.receive().getText()).isEqualTo("one");

    stream.close();

    assertThatThrownBy(stream::receive)
        .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.CANCELLED));
    assertThat(client.call(EchoService.NAME, "Echo", request("after"), EchoResponse.parser(), CallOptions.none())
        .getText()).isEqualTo("after");
  }
}
