package io.goldilocks.ttrpc;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Frames over a {@link Transport}: serialized writes from any thread, and a read loop for the one reader thread.
 *
 * <p>Thread-safe for {@link #send}; {@link #readLoop} must be run by a single thread.
 */
final class FrameChannel {
  private static final int READ_BUFFER = 64 * 1024;

  private final Transport transport;
  private final Object writeLock = new Object();

  FrameChannel(Transport transport) {
    this.transport = transport;
  }

  /** Writes one frame; the caller checked {@code data.length <= MAX_DATA_LENGTH}. Blocks while the peer is slow. */
  void send(int streamId, byte type, byte flags, byte[] data) throws IOException {
    ByteBuffer header = FrameCodec.header(streamId, type, flags, data.length);
    synchronized (writeLock) {
      transport.write(header, data);
    }
  }

  /**
   * Reads and decodes until the peer closes. Returns normally at a clean end of stream (between frames); throws
   * {@link EOFException} for a truncated frame and the transport's IOException otherwise.
   */
  void readLoop(FrameDecoder.Sink sink) throws IOException {
    FrameDecoder decoder = new FrameDecoder();
    ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
    while (true) {
      buffer.clear();
      int n = transport.read(buffer);
      if (n < 0) {
        if (decoder.isMidFrame()) {
          throw new EOFException("connection ended inside a frame");
        }
        return;
      }
      buffer.flip();
      decoder.decode(buffer, sink);
    }
  }

  void close() {
    transport.close();
  }

  String describe() {
    return transport.describe();
  }
}
