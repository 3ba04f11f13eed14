package io.goldilocks.ttrpc;

import java.nio.ByteBuffer;

/**
 * The ttrpc frame format (containerd/ttrpc PROTOCOL.md) and its stateless encoder.
 *
 * <pre>
 *   +---------------------------------------------------------------+
 *   |                       Data Length (32)                        |   big-endian, excludes the header,
 *   +---------------------------------------------------------------+   at most 4 MiB
 *   |                        Stream ID (32)                         |   big-endian; odd = client-initiated
 *   +---------------+-----------------------------------------------+
 *   | Msg Type (8)  |   1 request, 2 response, 3 data
 *   +---------------+
 *   |   Flags (8)   |   0x01 remote closed, 0x02 remote open, 0x04 no data
 *   +---------------+-----------------------------------------------+
 *   |                           Data (*)                            |
 *   +---------------------------------------------------------------+
 * </pre>
 *
 * <p>A request with no flags is unary. A request with remote-open starts a stream the client keeps sending on; with
 * remote-closed, a stream the client will not send on. A data frame with remote-closed is the sender's last; with
 * no-data it carries no message. The response ends the stream and carries its status.
 *
 * <p>The decoder ({@link FrameDecoder}) keeps per-connection state; this encoder keeps none. Thread-safe.
 */
final class FrameCodec {
  static final int HEADER_LENGTH = 10;
  /** Largest data length a frame may carry (Go ttrpc's messageLengthMax). */
  static final int MAX_DATA_LENGTH = 4 << 20;

  static final byte TYPE_REQUEST = 1;
  static final byte TYPE_RESPONSE = 2;
  static final byte TYPE_DATA = 3;

  static final byte FLAG_REMOTE_CLOSED = 0x01;
  static final byte FLAG_REMOTE_OPEN = 0x02;
  static final byte FLAG_NO_DATA = 0x04;

  private FrameCodec() {}

  /** The 10-byte header for a frame with {@code dataLength} bytes of data; the caller checked the limit. */
  static ByteBuffer header(int streamId, byte type, byte flags, int dataLength) {
    if (dataLength < 0 || dataLength > MAX_DATA_LENGTH) {
      throw new IllegalArgumentException("frame data length out of range: " + dataLength);
    }
    ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH); // big-endian by default
    header.putInt(dataLength).putInt(streamId).put(type).put(flags).flip();
    return header;
  }

  /** Header and data in one array, for transports that write best in one piece. */
  static byte[] encode(int streamId, byte type, byte flags, byte[] data) {
    byte[] frame = new byte[HEADER_LENGTH + data.length];
    header(streamId, type, flags, data.length).get(frame, 0, HEADER_LENGTH);
    System.arraycopy(data, 0, frame, HEADER_LENGTH, data.length);
    return frame;
  }
}
