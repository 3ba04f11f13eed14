package io.goldilocks.hypervisor.qemu;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A newline-delimited text connection to a Unix socket with a deadline on every read and write and a bound on line
 * length (the peer may be a guest). Not thread-safe: one user at a time.
 */
final class UnixLineChannel implements Closeable {
  static final int MAX_LINE = 1024 * 1024;

  private final SocketChannel channel;
  private final Selector selector;
  private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(); // the partial line read so far

  private UnixLineChannel(SocketChannel channel) throws IOException {
    this.channel = channel;
    channel.configureBlocking(false);
    this.selector = Selector.open();
  }

  /** Connects, retrying while the socket does not yet exist or refuses, until {@code timeout}. */
  static UnixLineChannel connect(Path socket, Duration timeout) throws IOException {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        channel.connect(UnixDomainSocketAddress.of(socket));
        return new UnixLineChannel(channel);
      } catch (IOException e) {
        channel.close();
        if (Instant.now().isAfter(deadline)) {
          throw new IOException("cannot connect to " + socket + " within " + timeout + ": " + e.getMessage(), e);
        }
        sleep(20);
      }
    }
  }

  void writeLine(String text, Duration timeout) throws IOException {
    ByteBuffer out = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
    Instant deadline = Instant.now().plus(timeout);
    while (out.hasRemaining()) {
      if (channel.write(out) == 0) {
        await(SelectionKey.OP_WRITE, deadline);
      }
    }
  }

  /** The next line without its newline; EOFException at end of stream, SocketTimeoutException at the deadline. */
  String readLine(Duration timeout) throws IOException {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      in.flip();
      while (in.hasRemaining()) {
        byte b = in.get();
        if (b == '\n') {
          in.compact();
          String result = line.toString(StandardCharsets.UTF_8);
          line.reset();
          return result;
        }
        if (line.size() >= MAX_LINE) {
          throw new IOException("line longer than " + MAX_LINE + " bytes");
        }
        line.write(b);
      }
      in.clear();
      int n = channel.read(in);
      if (n < 0) {
        throw new EOFException("connection closed");
      }
      if (n == 0) {
        await(SelectionKey.OP_READ, deadline);
      }
    }
  }

  private void await(int op, Instant deadline) throws IOException {
    long millis = Duration.between(Instant.now(), deadline).toMillis();
    if (millis <= 0) {
      throw new SocketTimeoutException("deadline passed");
    }
    SelectionKey key = channel.register(selector, op);
    try {
      selector.select(millis);
    } finally {
      key.cancel();
      selector.selectNow();
    }
  }

  @Override
  public void close() throws IOException {
    try {
      selector.close();
    } finally {
      channel.close();
    }
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
