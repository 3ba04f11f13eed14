package io.goldilocks.ttrpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The frame codec against the wire layout, fragmented input and hostile lengths. */
class FrameDecoderTest {
  private final List<Frame> frames = new ArrayList<>();
  private final List<String> oversized = new ArrayList<>();
  private final FrameDecoder decoder = new FrameDecoder();
  private final FrameDecoder.Sink sink = new FrameDecoder.Sink() {
    @Override
    public void frame(Frame frame) {
      frames.add(frame);
    }

    @Override
    public void oversized(int streamId, byte type, byte flags, long dataLength) {
      oversized.add(streamId + ":" + type + ":" + dataLength);
    }
  };

  @Test
  void encodesHeaderBigEndianAsSpecified() {
    byte[] frame = FrameCodec.encode(0x01020304, FrameCodec.TYPE_DATA,
        (byte) (FrameCodec.FLAG_REMOTE_CLOSED | FrameCodec.FLAG_NO_DATA), new byte[] {9, 8});

    assertThat(frame).containsExactly(0, 0, 0, 2, 1, 2, 3, 4, 3, 5, 9, 8);
  }

  @Test
  void decodesWholeFramesInOneRead() {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    wire.writeBytes(FrameCodec.encode(1, FrameCodec.TYPE_REQUEST, (byte) 0, "abc".getBytes()));
    wire.writeBytes(FrameCodec.encode(3, FrameCodec.TYPE_DATA, FrameCodec.FLAG_REMOTE_OPEN, new byte[0]));

    decoder.decode(ByteBuffer.wrap(wire.toByteArray()), sink);

    assertThat(frames).hasSize(2);
    assertThat(frames.get(0).streamId()).isEqualTo(1);
    assertThat(frames.get(0).type()).isEqualTo(FrameCodec.TYPE_REQUEST);
    assertThat(new String(frames.get(0).payload())).isEqualTo("abc");
    assertThat(frames.get(1).streamId()).isEqualTo(3);
    assertThat(frames.get(1).has(FrameCodec.FLAG_REMOTE_OPEN)).isTrue();
    assertThat(frames.get(1).payload()).isEmpty();
    assertThat(decoder.isMidFrame()).isFalse();
  }

  @Test
  void decodesFramesFedOneByteAtATime() {
    byte[] a = FrameCodec.encode(5, FrameCodec.TYPE_RESPONSE, (byte) 0, "hello".getBytes());
    byte[] b = FrameCodec.encode(7, FrameCodec.TYPE_DATA, FrameCodec.FLAG_NO_DATA, new byte[0]);
    byte[] c = FrameCodec.encode(9, FrameCodec.TYPE_DATA, (byte) 0, "!".getBytes());
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    wire.writeBytes(a);
    wire.writeBytes(b);
    wire.writeBytes(c);

    for (byte x : wire.toByteArray()) {
      decoder.decode(ByteBuffer.wrap(new byte[] {x}), sink);
    }

    assertThat(frames).extracting(Frame::streamId).containsExactly(5, 7, 9);
    assertThat(new String(frames.get(0).payload())).isEqualTo("hello");
    assertThat(new String(frames.get(2).payload())).isEqualTo("!");
  }

  @Test
  void reportsTruncatedFrameAsMidFrame() {
    byte[] frame = FrameCodec.encode(1, FrameCodec.TYPE_REQUEST, (byte) 0, "truncated".getBytes());

    decoder.decode(ByteBuffer.wrap(frame, 0, 4), sink);
    assertThat(decoder.isMidFrame()).isTrue();
    decoder.decode(ByteBuffer.wrap(frame, 4, frame.length - 6), sink);

    assertThat(frames).isEmpty();
    assertThat(decoder.isMidFrame()).isTrue();
  }

  @Test
  void skipsOversizedFrameAndDecodesTheNext() {
    int tooLong = FrameCodec.MAX_DATA_LENGTH + 1;
    ByteBuffer header = ByteBuffer.allocate(10).putInt(tooLong).putInt(11).put(FrameCodec.TYPE_REQUEST).put((byte) 0);
    header.flip();
    decoder.decode(header, sink);
    assertThat(oversized).containsExactly("11:1:" + tooLong);
    byte[] junk = new byte[64 * 1024];
    for (int sent = 0; sent < tooLong; sent += junk.length) {
      decoder.decode(ByteBuffer.wrap(junk, 0, Math.min(junk.length, tooLong - sent)), sink);
    }

    decoder.decode(ByteBuffer.wrap(FrameCodec.encode(13, FrameCodec.TYPE_REQUEST, (byte) 0, "ok".getBytes())), sink);

    assertThat(frames).extracting(Frame::streamId).containsExactly(13);
    assertThat(new String(frames.get(0).payload())).isEqualTo("ok");
  }

  @Test
  void maximumLengthFrameIsAccepted() {
    byte[] data = new byte[FrameCodec.MAX_DATA_LENGTH];
    data[data.length - 1] = 42;

    decoder.decode(ByteBuffer.wrap(FrameCodec.encode(1, FrameCodec.TYPE_DATA, (byte) 0, data)), sink);

    assertThat(oversized).isEmpty();
    assertThat(frames.get(0).payload()).hasSize(FrameCodec.MAX_DATA_LENGTH).endsWith(42);
  }

  @Test
  void lengthWithHighBitSetIsOversizedNotNegative() {
    ByteBuffer header = ByteBuffer.allocate(10).putInt(0xFFFF_FFF0).putInt(3).put(FrameCodec.TYPE_DATA).put((byte) 0);
    header.flip();

    decoder.decode(header, sink);

    assertThat(oversized).containsExactly("3:3:" + 0xFFFF_FFF0L);
  }
}
