package io.goldilocks.ttrpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/** An InputStream/OutputStream pair, e.g. a virtio-serial character device opened for reading and for writing. */
final class StreamTransport implements Transport {
  private final InputStream in;
  private final OutputStream out;

  StreamTransport(InputStream in, OutputStream out) {
    this.in = in;
    this.out = out;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    int n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
    if (n > 0) {
      dst.position(dst.position() + n);
    }
    return n;
  }

  @Override
  public void write(ByteBuffer header, byte[] data) throws IOException {
    // One write per frame: devices such as virtio-serial then see whole frames, and small frames need no copy.
    byte[] frame = new byte[header.remaining() + data.length];
    header.get(frame, 0, FrameCodec.HEADER_LENGTH);
    System.arraycopy(data, 0, frame, FrameCodec.HEADER_LENGTH, data.length);
    out.write(frame);
    out.flush();
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException ignored) {
      // best effort: the peer sees end of stream either way
    }
    try {
      in.close();
    } catch (IOException ignored) {
      // best effort
    }
  }

  @Override
  public String describe() {
    return "stream";
  }
}
