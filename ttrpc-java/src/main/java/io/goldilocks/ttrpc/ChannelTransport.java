package io.goldilocks.ttrpc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A connected (blocking) socket channel. The JDK lets one thread read while another writes a SocketChannel, which
 * {@code Channels.newInputStream/newOutputStream} would not (they share the channel's blocking lock).
 */
final class ChannelTransport implements Transport {
  private final SocketChannel channel;

  ChannelTransport(SocketChannel channel) {
    this.channel = channel;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return channel.read(dst);
  }

  @Override
  public void write(ByteBuffer header, byte[] data) throws IOException {
    ByteBuffer[] buffers = {header, ByteBuffer.wrap(data)};
    while (buffers[1].hasRemaining() || buffers[0].hasRemaining()) {
      channel.write(buffers);
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing a socket: nothing left to do
    }
  }

  @Override
  public String describe() {
    try {
      return "unix:" + channel.getRemoteAddress();
    } catch (IOException | RuntimeException e) {
      return "unix socket";
    }
  }
}
