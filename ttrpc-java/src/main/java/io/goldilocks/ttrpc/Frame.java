package io.goldilocks.ttrpc;

/**
 * One decoded ttrpc frame: header fields plus its data. See {@link FrameCodec} for the layout.
 *
 * @param streamId unsigned 32-bit stream id (odd: client-initiated)
 * @param type {@link FrameCodec#TYPE_REQUEST}, {@link FrameCodec#TYPE_RESPONSE} or {@link FrameCodec#TYPE_DATA}
 * @param flags {@link FrameCodec#FLAG_REMOTE_CLOSED} etc.
 * @param payload the frame's data; never null, owned by the receiver
 */
record Frame(int streamId, byte type, byte flags, byte[] payload) {
  boolean has(byte flag) {
    return (flags & flag) == flag;
  }

  long unsignedStreamId() {
    return Integer.toUnsignedLong(streamId);
  }

  @Override
  public String toString() {
    return "Frame[stream=" + unsignedStreamId() + ", type=" + type + ", flags=0x" + Integer.toHexString(flags & 0xff)
        + ", length=" + payload.length + "]";
  }
}
