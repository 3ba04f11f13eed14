package io.goldilocks.ttrpc;

import static io.goldilocks.ttrpc.EchoService.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.goldilocks.ttrpc.proto.Response;
import io.goldilocks.ttrpc.testproto.EchoRequest;
import io.goldilocks.ttrpc.testproto.EchoResponse;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against a misbehaving server (as a hung or hostile guest would be), played by a raw socket. */
class ClientRobustnessTest {
  @TempDir Path dir;
  private ServerSocketChannel listener;
  private SocketChannel peer;
  private TtrpcClient client;

  @BeforeEach
  void setUp() throws Exception {
    Path socket = dir.resolve("raw.sock");
    listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    listener.bind(UnixDomainSocketAddress.of(socket));
    client = TtrpcClient.connect(socket);
    peer = listener.accept();
  }

  @AfterEach
  void tearDown() throws Exception {
    client.close();
    peer.close();
    listener.close();
  }

  private void reply(int streamId, Response response) throws Exception {
    ByteBuffer b = ByteBuffer.wrap(FrameCodec.encode(streamId, FrameCodec.TYPE_RESPONSE, (byte) 0,
        response.toByteArray()));
    while (b.hasRemaining()) {
      peer.write(b);
    }
  }

  private static Response ok(String text) {
    return Response.newBuilder().setPayload(EchoResponse.newBuilder().setText(text).build().toByteString()).build();
  }

  @Test
  void deadlineHoldsAgainstAServerThatNeverAnswers() {
    long start = System.nanoTime();

    assertThatThrownBy(() -> client.call(EchoService.NAME, "Echo", request("x"), EchoResponse.parser(),
        CallOptions.timeout(Duration.ofMillis(100))))
        .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.DEADLINE_EXCEEDED));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(client.isClosed()).isFalse();
  }

  @Test
  void deadlineHoldsAgainstAServerThatStoppedReading() throws Exception {
    // 4 MiB requests fill the socket buffers at once; the server never reads a byte.
    EchoRequest big = EchoRequest.newBuilder().setData(ByteString.copyFrom(new byte[(4 << 20) - 1024])).build();
    CallOptions timeout = CallOptions.timeout(Duration.ofMillis(300));
    CompletableFuture<EchoResponse> first = CompletableFuture.supplyAsync(() -> callUnchecked(big, timeout));
    CompletableFuture<EchoResponse> second = CompletableFuture.supplyAsync(() -> callUnchecked(big, timeout));

    for (var f : java.util.List.of(first, second)) {
      assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).cause().cause()
          .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.DEADLINE_EXCEEDED));
    }
    assertThat(client.isClosed()).as("a connection with half a frame written is closed").isTrue();
  }

  private EchoResponse callUnchecked(EchoRequest request, CallOptions options) {
    try {
      return client.call(EchoService.NAME, "Echo", request, EchoResponse.parser(), options);
    } catch (TtrpcException e) {
      throw new RuntimeException(e);
    }
  }

  @Test
  void oversizedResponseFailsOnlyItsCall() throws Exception {
    CompletableFuture<EchoResponse> victim = client.callAsync(EchoService.NAME, "Echo", request("a"),
        EchoResponse.parser(), CallOptions.none());
    CompletableFuture<EchoResponse> other = client.callAsync(EchoService.NAME, "Echo", request("b"),
        EchoResponse.parser(), CallOptions.none());
    int length = FrameCodec.MAX_DATA_LENGTH + 1;
    ByteBuffer header = FrameCodec.header(1, FrameCodec.TYPE_RESPONSE, (byte) 0, 0).putInt(0, length);
    while (header.hasRemaining()) {
      peer.write(header);
    }
    ByteBuffer junk = ByteBuffer.allocate(length);
    while (junk.hasRemaining()) {
      peer.write(junk);
    }
    reply(99, ok("nobody asked")); // an unknown stream: ignored
    reply(3, ok("b"));

    assertThatThrownBy(() -> victim.get(5, TimeUnit.SECONDS)).cause()
        .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.RESOURCE_EXHAUSTED));
    assertThat(other.get(5, TimeUnit.SECONDS).getText()).isEqualTo("b");
  }

  @Test
  void requestsUseOddIncreasingStreamIds() throws Exception {
    for (int i = 0; i < 3; i++) {
      client.callAsync(EchoService.NAME, "Echo", request("x"), EchoResponse.parser(), CallOptions.none());
    }
    RawFrames frames = new RawFrames(peer);

    assertThat(frames.next().streamId()).isEqualTo(1);
    assertThat(frames.next().streamId()).isEqualTo(3);
    assertThat(frames.next().streamId()).isEqualTo(5);
  }

  @Test
  void garbageFromServerClosesConnectionAndFailsPendingCalls() throws Exception {
    CompletableFuture<EchoResponse> pending = client.callAsync(EchoService.NAME, "Echo", request("x"),
        EchoResponse.parser(), CallOptions.none());
    peer.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 50, 0, 0, 0, 1, 2, 0, 1, 2}));
    peer.shutdownOutput(); // truncated frame

    assertThatThrownBy(() -> pending.get(5, TimeUnit.SECONDS)).cause()
        .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE));
    assertThat(client.isClosed()).isTrue();
  }

  /** Reads frames the client sent. */
  private static final class RawFrames {
    private final SocketChannel channel;
    private final FrameDecoder decoder = new FrameDecoder();
    private final java.util.ArrayDeque<Frame> frames = new java.util.ArrayDeque<>();

    RawFrames(SocketChannel channel) {
      this.channel = channel;
    }

    Frame next() throws Exception {
      ByteBuffer buf = ByteBuffer.allocate(4096);
      while (frames.isEmpty()) {
        buf.clear();
        if (channel.read(buf) < 0) {
          throw new AssertionError("client closed");
        }
        buf.flip();
        decoder.decode(buf, new FrameDecoder.Sink() {
          @Override
          public void frame(Frame frame) {
            frames.add(frame);
          }

          @Override
          public void oversized(int streamId, byte type, byte flags, long dataLength) {
            throw new AssertionError("oversized");
          }
        });
      }
      return frames.poll();
    }
  }
}
