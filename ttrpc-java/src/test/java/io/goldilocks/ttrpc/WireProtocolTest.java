package io.goldilocks.ttrpc;

import static io.goldilocks.ttrpc.EchoService.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.goldilocks.ttrpc.proto.Response;
import io.goldilocks.ttrpc.testproto.EchoRequest;
import io.goldilocks.ttrpc.testproto.EchoResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server against the exact frames a Go ttrpc client writes (client.go/stream.go), and against protocol
 * violations: each is answered on its own stream and the connection lives on.
 */
class WireProtocolTest {
  @TempDir Path dir;
  private final TtrpcServer server = TtrpcServer.builder().addService(new EchoService().service()).build();
  private RawPeer peer;

  @BeforeEach
  void setUp() throws Exception {
    Path socket = dir.resolve("s.sock");
    server.listen(socket);
    peer = new RawPeer(socket);
  }

  @AfterEach
  void tearDown() throws Exception {
    peer.close();
    server.close();
  }

  private void assertStillServes(int streamId) throws Exception {
    peer.request(streamId, (byte) 0, EchoService.NAME, "Echo", request("alive").toByteArray());
    Frame frame = peer.next();
    assertThat(frame.streamId()).isEqualTo(streamId);
    Response response = RawPeer.response(frame);
    assertThat(response.getStatus().getCode()).isZero();
    assertThat(EchoResponse.parseFrom(response.getPayload()).getText()).isEqualTo("alive");
  }

  @Test
  void unaryRequestWithoutFlagsGetsOneResponse() throws Exception {
    assertStillServes(1);
  }

  @Test
  void serverStreamEndsWithEmptyRemoteClosedDataFrameAsGoDoes() throws Exception {
    EchoRequest ask = EchoRequest.newBuilder().setCount(2).build();
    peer.request(1, FrameCodec.FLAG_REMOTE_CLOSED, EchoService.NAME, "Generate", ask.toByteArray());

    Frame first = peer.next();
    Frame second = peer.next();
    Frame end = peer.next();

    assertThat(first.type()).isEqualTo(FrameCodec.TYPE_DATA);
    assertThat(first.flags()).isZero();
    assertThat(EchoResponse.parseFrom(second.payload()).getIndex()).isEqualTo(1);
    assertThat(end.type()).isEqualTo(FrameCodec.TYPE_DATA);
    assertThat(end.flags()).isEqualTo((byte) (FrameCodec.FLAG_REMOTE_CLOSED | FrameCodec.FLAG_NO_DATA));
    assertThat(end.payload()).isEmpty();
  }

  @Test
  void clientStreamAsGoWritesItGetsResponseFrame() throws Exception {
    peer.request(1, FrameCodec.FLAG_REMOTE_OPEN, EchoService.NAME, "Collect", new byte[0]);
    peer.send(1, FrameCodec.TYPE_DATA, (byte) 0, request("a").toByteArray());
    peer.send(1, FrameCodec.TYPE_DATA, (byte) 0, new byte[0]); // an all-default message
    peer.send(1, FrameCodec.TYPE_DATA, (byte) (FrameCodec.FLAG_REMOTE_CLOSED | FrameCodec.FLAG_NO_DATA), new byte[0]);

    Response response = RawPeer.response(peer.next());

    assertThat(response.getStatus().getCode()).isZero();
    assertThat(EchoResponse.parseFrom(response.getPayload()).getIndex()).isEqualTo(2);
  }

  @Test
  void oversizedRequestIsAnsweredOnItsStreamAndConnectionLives() throws Exception {
    int length = FrameCodec.MAX_DATA_LENGTH + 10;
    ByteBuffer header = FrameCodec.header(0, FrameCodec.TYPE_REQUEST, (byte) 0, 0);
    header.putInt(0, length).putInt(4, 3);
    peer.write(header.array());
    peer.write(new byte[length]);

    Frame frame = peer.next();

    assertThat(frame.streamId()).isEqualTo(3);
    assertThat(RawPeer.response(frame).getStatus().getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED.value());
    assertStillServes(5);
  }

  @Test
  void oversizedDataFailsItsStreamOnly() throws Exception {
    peer.request(1, FrameCodec.FLAG_REMOTE_OPEN, EchoService.NAME, "Chat", new byte[0]);
    int length = FrameCodec.MAX_DATA_LENGTH + 1;
    ByteBuffer header = FrameCodec.header(1, FrameCodec.TYPE_DATA, (byte) 0, 0);
    header.putInt(0, length);
    peer.write(header.array());
    peer.write(new byte[length]);

    Frame frame = peer.next();

    assertThat(frame.streamId()).isEqualTo(1);
    assertThat(RawPeer.response(frame).getStatus().getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED.value());
    assertStillServes(3);
  }

  @Test
  void evenStreamIdIsInvalidArgument() throws Exception {
    peer.request(2, (byte) 0, EchoService.NAME, "Echo", new byte[0]);

    Frame frame = peer.next();

    assertThat(frame.streamId()).isEqualTo(2);
    assertThat(RawPeer.response(frame).getStatus().getCode()).isEqualTo(Code.INVALID_ARGUMENT.value());
    assertStillServes(3);
  }

  @Test
  void reusedStreamIdIsInvalidArgument() throws Exception {
    assertStillServes(5);
    peer.request(5, (byte) 0, EchoService.NAME, "Echo", new byte[0]);

    assertThat(RawPeer.response(peer.next()).getStatus().getCode()).isEqualTo(Code.INVALID_ARGUMENT.value());
    assertStillServes(7);
  }

  @Test
  void malformedRequestIsInvalidArgument() throws Exception {
    peer.send(1, FrameCodec.TYPE_REQUEST, (byte) 0, new byte[] {(byte) 0xff, (byte) 0xff, 0x01});

    assertThat(RawPeer.response(peer.next()).getStatus().getCode()).isEqualTo(Code.INVALID_ARGUMENT.value());
    assertStillServes(3);
  }

  @Test
  void malformedPayloadIsInvalidArgument() throws Exception {
    peer.request(1, (byte) 0, EchoService.NAME, "Echo", new byte[] {0x0a, 0x7f});

    assertThat(RawPeer.response(peer.next()).getStatus().getCode()).isEqualTo(Code.INVALID_ARGUMENT.value());
    assertStillServes(3);
  }

  @Test
  void dataForUnknownStreamAndUnknownFrameTypesAreIgnored() throws Exception {
    peer.send(41, FrameCodec.TYPE_DATA, (byte) 0, new byte[] {1, 2, 3});
    peer.send(43, (byte) 9, (byte) 0, new byte[] {1});
    peer.send(45, FrameCodec.TYPE_RESPONSE, (byte) 0, new byte[0]);

    assertStillServes(47);
  }
}
