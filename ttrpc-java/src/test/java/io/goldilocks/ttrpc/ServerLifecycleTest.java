package io.goldilocks.ttrpc;

import static io.goldilocks.ttrpc.EchoService.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldilocks.ttrpc.testproto.EchoRequest;
import io.goldilocks.ttrpc.testproto.EchoResponse;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shutdown, dying peers on either side, and what the other connections see meanwhile. */
class ServerLifecycleTest {
  @TempDir Path dir;
  private final EchoService echo = new EchoService();
  private final TtrpcServer server = TtrpcServer.builder().addService(echo.service()).build();

  @AfterEach
  void tearDown() {
    echo.release.countDown();
    server.close();
  }

  private static CompletableFuture<EchoResponse> async(TtrpcClient client, EchoRequest request) {
    return client.callAsync(EchoService.NAME, "Echo", request, EchoResponse.parser(), CallOptions.none());
  }

  private void awaitStarted(int n) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (echo.started.get() < n && System.nanoTime() < end) {
      Thread.sleep(2);
    }
    assertThat(echo.started.get()).isGreaterThanOrEqualTo(n);
  }

  @Test
  void shutdownDrainsCallsInFlightAndRefusesNewOnes() throws Exception {
    Path socket = dir.resolve("s.sock");
    server.listen(socket);
    try (TtrpcClient client = TtrpcClient.connect(socket)) {
      EchoRequest slow = EchoRequest.newBuilder().setText("sleep").setSleepMillis(300).build();
      CompletableFuture<EchoResponse> inFlight = async(client, slow);
      awaitStarted(1);

      CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> server.shutdown(Duration.ofSeconds(5)));
      Thread.sleep(50);
      assertThatThrownBy(() -> client.call(EchoService.NAME, "Echo", request("new"), EchoResponse.parser(),
          CallOptions.none()))
          .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE));
      assertThat(inFlight.get(5, TimeUnit.SECONDS).getText()).isEqualTo("sleep");
      shutdown.get(5, TimeUnit.SECONDS);
    }
    assertThat(Files.exists(socket)).as("socket file removed").isFalse();
    assertThatThrownBy(() -> TtrpcClient.connect(socket)).isInstanceOf(IOException.class);
  }

  @Test
  void shutdownGraceExpiresThenPendingCallsFailUnavailable() throws Exception {
    Path socket = dir.resolve("s.sock");
    server.listen(socket);
    try (TtrpcClient client = TtrpcClient.connect(socket)) {
      CompletableFuture<EchoResponse> blocked = async(client, request("block"));
      awaitStarted(1);
      CountDownLatch closed = new CountDownLatch(1);
      client.onClose(closed::countDown);

      server.shutdown(Duration.ofMillis(100));

      assertThatThrownBy(() -> blocked.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE));
      assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(client.isClosed()).isTrue();
    }
  }

  @Test
  void serverDeathFailsPendingCallsPromptlyAndRunsListeners() throws Exception {
    Path socket = dir.resolve("s.sock");
    server.listen(socket);
    TtrpcClient client = TtrpcClient.connect(socket);
    CompletableFuture<EchoResponse> a = async(client, request("block"));
    CompletableFuture<EchoResponse> b = async(client, request("block"));
    awaitStarted(2);
    CountDownLatch closed = new CountDownLatch(1);
    client.onClose(closed::countDown);

    server.close();

    for (var f : java.util.List.of(a, b)) {
      assertThatThrownBy(() -> f.get(2, TimeUnit.SECONDS)).cause()
          .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE));
    }
    assertThat(closed.await(2, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> client.call(EchoService.NAME, "Echo", request("x"), EchoResponse.parser(),
        CallOptions.none()))
        .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE));
    AtomicRan late = new AtomicRan();
    client.onClose(late);
    assertThat(late.ran).as("listener added after close runs at once").isTrue();
  }

  @Test
  void clientDisconnectMidCallCancelsItAndServerServesOthers() throws Exception {
    Path socket = dir.resolve("s.sock");
    server.listen(socket);
    TtrpcClient leaving = TtrpcClient.connect(socket);
    EchoRequest slow = EchoRequest.newBuilder().setText("sleep").setSleepMillis(5_000).build();
    CompletableFuture<EchoResponse> abandoned = async(leaving, slow);
    awaitStarted(1);

    leaving.close();

    assertThatThrownBy(() -> abandoned.get(2, TimeUnit.SECONDS)).cause()
        .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE));
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (echo.sawCancel.get() == 0 && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    assertThat(echo.sawCancel.get()).as("handler saw its call cancelled").isEqualTo(1);
    try (TtrpcClient other = TtrpcClient.connect(socket)) {
      assertThat(other.call(EchoService.NAME, "Echo", request("other"), EchoResponse.parser(), CallOptions.none())
          .getText()).isEqualTo("other");
    }
  }

  @Test
  void truncatedFrameClosesOnlyThatConnection() throws Exception {
    Path socket = dir.resolve("s.sock");
    server.listen(socket);
    try (SocketChannel raw = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      raw.connect(UnixDomainSocketAddress.of(socket));
      byte[] frame = FrameCodec.encode(1, FrameCodec.TYPE_REQUEST, (byte) 0, new byte[100]);
      raw.write(ByteBuffer.wrap(frame, 0, 30));
      raw.shutdownOutput();
      ByteBuffer buf = ByteBuffer.allocate(64);
      assertThat(raw.read(buf)).as("server closes the connection").isEqualTo(-1);
    }
    try (TtrpcClient client = TtrpcClient.connect(socket)) {
      assertThat(client.call(EchoService.NAME, "Echo", request("fine"), EchoResponse.parser(), CallOptions.none())
          .getText()).isEqualTo("fine");
    }
  }

  @Test
  void servedStreamConnectionEndsWhenClientCloses() throws Exception {
    var toServer = java.nio.channels.Pipe.open();
    var toClient = java.nio.channels.Pipe.open();
    Connection connection = server.serve(java.nio.channels.Channels.newInputStream(toServer.source()),
        java.nio.channels.Channels.newOutputStream(toClient.sink()));
    TtrpcClient client = TtrpcClient.over(java.nio.channels.Channels.newInputStream(toClient.source()),
        java.nio.channels.Channels.newOutputStream(toServer.sink()));
    assertThat(client.call(EchoService.NAME, "Echo", request("x"), EchoResponse.parser(), CallOptions.none())
        .getText()).isEqualTo("x");

    client.close();

    CompletableFuture.runAsync(() -> {
      try {
        connection.awaitClosed();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }).get(5, TimeUnit.SECONDS);
    assertThat(connection.isClosed()).isTrue();
  }

  @Test
  void sameUserPeerIsAccepted() throws Exception {
    TtrpcServer strict = TtrpcServer.builder().addService(echo.service()).requireSameUser(true).build();
    Path socket = dir.resolve("strict.sock");
    try (strict; TtrpcClient client = TtrpcClient.connect(listen(strict, socket))) {
      assertThat(client.call(EchoService.NAME, "Echo", request("me"), EchoResponse.parser(), CallOptions.none())
          .getText()).isEqualTo("me");
    }
  }

  @Test
  void serverRefusesWorkAfterClose() {
    server.close();

    assertThatThrownBy(() -> server.listen(dir.resolve("late.sock"))).isInstanceOf(IllegalStateException.class);
    assertThat(Files.exists(dir.resolve("late.sock"))).isFalse();
  }

  private static Path listen(TtrpcServer server, Path socket) throws IOException {
    server.listen(socket);
    return socket;
  }

  private static final class AtomicRan implements Runnable {
    volatile boolean ran;

    @Override
    public void run() {
      ran = true;
    }
  }
}
