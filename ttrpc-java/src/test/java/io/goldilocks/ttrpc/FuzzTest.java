package io.goldilocks.ttrpc;

import static io.goldilocks.ttrpc.EchoService.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.goldilocks.ttrpc.testproto.EchoRequest;
import io.goldilocks.ttrpc.testproto.EchoResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded fuzzing of the server: random bytes and mutated valid frames on many connections. The server must not
 * hang, run out of memory or throw uncaught, and a well-behaved client on another connection keeps working. Seeded,
 * so a failure reproduces.
 */
class FuzzTest {
  private static final long SEED = 20261204L;
  private static final int ROUNDS = 300;

  @TempDir Path dir;
  private final TtrpcServer server = TtrpcServer.builder().addService(new EchoService().service())
      .maxConcurrentCallsPerConnection(8).maxQueuedCallsPerConnection(64).build();
  private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
  private final List<String> warnings = new CopyOnWriteArrayList<>();
  private final Logger ttrpcLog = Logger.getLogger("io.goldilocks.ttrpc");
  private final Handler warningCollector = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
        warnings.add(record.getMessage() + " " + record.getThrown());
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private Thread.UncaughtExceptionHandler previous;

  @AfterEach
  void tearDown() {
    server.close();
    Thread.setDefaultUncaughtExceptionHandler(previous);
    ttrpcLog.removeHandler(warningCollector);
  }

  @Test
  void hostileInputNeverHurtsOtherConnections() throws Exception {
    previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
    ttrpcLog.addHandler(warningCollector);
    Path socket = dir.resolve("fuzz.sock");
    server.listen(socket);
    Random random = new Random(SEED);

    try (TtrpcClient good = TtrpcClient.connect(socket)) {
      for (int round = 0; round < ROUNDS; round++) {
        try (SocketChannel evil = SocketChannel.open(StandardProtocolFamily.UNIX)) {
          evil.connect(UnixDomainSocketAddress.of(socket));
          write(evil, round % 3 == 0 ? randomBytes(random) : mutatedFrames(random));
          drain(evil);
        }
        if (round % 25 == 0) {
          assertThat(good.call(EchoService.NAME, "Echo", request("round " + round), EchoResponse.parser(),
              CallOptions.timeout(java.time.Duration.ofSeconds(5))).getText()).isEqualTo("round " + round);
        }
      }
    }
    assertThat(uncaught).isEmpty();
    assertThat(warnings).as("internal failures logged by the server").isEmpty();
  }

  private static byte[] randomBytes(Random random) {
    byte[] junk = new byte[random.nextInt(2048)];
    random.nextBytes(junk);
    return junk;
  }

  /** A few valid frames (unary, streams) with random header fields, lengths, flags and payload bytes flipped. */
  private static byte[] mutatedFrames(Random random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int frames = 1 + random.nextInt(6);
    String[] methods = {"Echo", "Generate", "Collect", "Chat", "Nope"};
    for (int i = 0; i < frames; i++) {
      EchoRequest payload = EchoRequest.newBuilder().setText(random.nextBoolean() ? "x" : "sleep")
          .setCount(random.nextInt(4)).setSleepMillis(random.nextInt(3)).build();
      byte[] body = io.goldilocks.ttrpc.proto.Request.newBuilder().setService(EchoService.NAME)
          .setMethod(methods[random.nextInt(methods.length)]).setPayload(payload.toByteString())
          .setTimeoutNano(random.nextBoolean() ? 0 : random.nextInt(50_000_000)).build().toByteArray();
      byte type = (byte) (1 + random.nextInt(4));
      byte flags = (byte) random.nextInt(8);
      byte[] frame = FrameCodec.encode(1 + 2 * random.nextInt(8), type, flags, body);
      int flips = random.nextInt(4);
      for (int f = 0; f < flips; f++) {
        frame[random.nextInt(frame.length)] ^= (byte) (1 << random.nextInt(8));
      }
      if (random.nextInt(10) == 0) {
        frame = java.util.Arrays.copyOf(frame, random.nextInt(frame.length)); // truncated
      }
      out.writeBytes(frame);
    }
    return out.toByteArray();
  }

  private static void write(SocketChannel channel, byte[] bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      channel.write(b);
    }
    channel.shutdownOutput();
  }

  /** Reads what the server answers until it closes or goes quiet: a hang would show here as a stuck test. */
  private static void drain(SocketChannel channel) throws IOException {
    channel.configureBlocking(false);
    ByteBuffer buf = ByteBuffer.allocate(8192);
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
    while (System.nanoTime() < end) {
      buf.clear();
      if (channel.read(buf) < 0) {
        return;
      }
    }
  }
}
