package io.goldilocks.ttrpc;

import java.nio.ByteBuffer;

/**
 * Turns a connection's byte stream into {@link Frame}s (layout: {@link FrameCodec}), however the bytes are split
 * across reads. A frame longer than {@link FrameCodec#MAX_DATA_LENGTH} is skipped byte by byte (never buffered) and
 * reported through {@link Sink#oversized}, so the connection can answer that stream and live on.
 *
 * <p>State machine: {@code HEADER} (collecting 10 header bytes) → {@code DATA} (collecting the data) or
 * {@code SKIP} (discarding an oversized frame's data) → back to {@code HEADER}.
 *
 * <p>Not thread-safe: one decoder per connection, used by its reader thread only.
 */
final class FrameDecoder {
  /** Receives decoded frames; called on the decoding thread. */
  interface Sink {
    void frame(Frame frame);

    void oversized(int streamId, byte type, byte flags, long dataLength);
  }

  private enum State { HEADER, DATA, SKIP }

  private final ByteBuffer header = ByteBuffer.allocate(FrameCodec.HEADER_LENGTH);
  private final int maxDataLength;
  private State state = State.HEADER;
  private int streamId;
  private byte type;
  private byte flags;
  private byte[] data;
  private int dataFilled;
  private long skipRemaining;

  FrameDecoder() {
    this(FrameCodec.MAX_DATA_LENGTH);
  }

  FrameDecoder(int maxDataLength) {
    this.maxDataLength = maxDataLength;
  }

  /** Consumes all of {@code in}, emitting every frame it completes. */
  void decode(ByteBuffer in, Sink sink) {
    while (in.hasRemaining()) {
      switch (state) {
        case HEADER -> readHeader(in, sink);
        case DATA -> readData(in, sink);
        case SKIP -> skip(in);
      }
    }
  }

  /** True when the stream stopped inside a frame: at end of input this means a truncated frame. */
  boolean isMidFrame() {
    return state != State.HEADER || header.position() > 0;
  }

  private void readHeader(ByteBuffer in, Sink sink) {
    while (header.hasRemaining() && in.hasRemaining()) {
      header.put(in.get());
    }
    if (header.hasRemaining()) {
      return;
    }
    header.flip();
    long length = Integer.toUnsignedLong(header.getInt());
    streamId = header.getInt();
    type = header.get();
    flags = header.get();
    header.clear();
    if (length > maxDataLength) {
      skipRemaining = length;
      state = State.SKIP;
      sink.oversized(streamId, type, flags, length);
      return;
    }
    data = new byte[(int) length];
    dataFilled = 0;
    state = State.DATA;
    if (length == 0) {
      emit(sink);
    }
  }

  private void readData(ByteBuffer in, Sink sink) {
    int n = Math.min(in.remaining(), data.length - dataFilled);
    in.get(data, dataFilled, n);
    dataFilled += n;
    if (dataFilled == data.length) {
      emit(sink);
    }
  }

  private void skip(ByteBuffer in) {
    int n = (int) Math.min(in.remaining(), skipRemaining);
    in.position(in.position() + n);
    skipRemaining -= n;
    if (skipRemaining == 0) {
      state = State.HEADER;
    }
  }

  private void emit(Sink sink) {
    Frame frame = new Frame(streamId, type, flags, data);
    data = null;
    state = State.HEADER;
    sink.frame(frame);
  }
}
