package io.goldilocks.ttrpc;

import io.goldilocks.ttrpc.proto.Request;
import io.goldilocks.ttrpc.proto.Response;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/** A hand-driven ttrpc client on a raw socket, for tests that must write exactly the frames a Go peer writes. */
final class RawPeer implements AutoCloseable {
  private final SocketChannel socket;
  private final FrameDecoder decoder = new FrameDecoder();
  private final ArrayDeque<Frame> received = new ArrayDeque<>();
  private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

  RawPeer(Path path) throws IOException {
    socket = SocketChannel.open(StandardProtocolFamily.UNIX);
    socket.connect(UnixDomainSocketAddress.of(path));
  }

  void write(byte[] bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      socket.write(b);
    }
  }

  void send(int streamId, byte type, byte flags, byte[] data) throws IOException {
    write(FrameCodec.encode(streamId, type, flags, data));
  }

  void request(int streamId, byte flags, String service, String method, byte[] payload) throws IOException {
    Request r = Request.newBuilder().setService(service).setMethod(method)
        .setPayload(com.google.protobuf.ByteString.copyFrom(payload)).build();
    send(streamId, FrameCodec.TYPE_REQUEST, flags, r.toByteArray());
  }

  /** The next frame from the server; fails the test after 5 s. */
  Frame next() throws IOException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    socket.configureBlocking(false);
    try {
      while (received.isEmpty()) {
        if (System.nanoTime() > end) {
          throw new AssertionError("no frame from the server within 5 s");
        }
        buffer.clear();
        int n = socket.read(buffer);
        if (n < 0) {
          throw new IOException("server closed the connection");
        }
        if (n == 0) {
          sleep();
          continue;
        }
        buffer.flip();
        decoder.decode(buffer, new FrameDecoder.Sink() {
          @Override
          public void frame(Frame frame) {
            received.add(frame);
          }

          @Override
          public void oversized(int streamId, byte type, byte flags, long dataLength) {
            throw new AssertionError("server sent an oversized frame");
          }
        });
      }
      return received.poll();
    } finally {
      socket.configureBlocking(true);
    }
  }

  static Response response(Frame frame) throws IOException {
    if (frame.type() != FrameCodec.TYPE_RESPONSE) {
      throw new AssertionError("expected a response frame, got " + frame);
    }
    return Response.parseFrom(frame.payload());
  }

  private static void sleep() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
