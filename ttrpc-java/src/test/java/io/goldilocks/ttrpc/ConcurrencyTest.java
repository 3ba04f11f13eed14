package io.goldilocks.ttrpc;

import static io.goldilocks.ttrpc.EchoService.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.goldilocks.ttrpc.testproto.EchoRequest;
import io.goldilocks.ttrpc.testproto.EchoResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many calls in flight on one connection, the per-connection limits, and many connections. */
class ConcurrencyTest {
  @TempDir Path dir;
  private final EchoService echo = new EchoService();
  private TtrpcServer server;

  @AfterEach
  void tearDown() {
    echo.release.countDown();
    server.close();
  }

  @Test
  void tenThousandConcurrentCallsOnOneConnectionAllGetTheirOwnAnswer() throws Exception {
    server = TtrpcServer.builder().addService(echo.service()).build();
    try (TtrpcClient client = Endpoint.UNIX_SOCKET.connect(server, dir)) {
      List<CompletableFuture<EchoResponse>> futures = new ArrayList<>();
      for (int i = 0; i < 10_000; i++) {
        futures.add(client.callAsync(EchoService.NAME, "Echo", request("call " + i), EchoResponse.parser(),
            CallOptions.none()));
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      for (int i = 0; i < futures.size(); i++) {
        assertThat(futures.get(i).get().getText()).isEqualTo("call " + i);
      }
    }
  }

  @Test
  void concurrencyLimitQueuesCallsAndQueueLimitRefusesTheRest() throws Exception {
    server = TtrpcServer.builder().addService(echo.service())
        .maxConcurrentCallsPerConnection(2).maxQueuedCallsPerConnection(3).build();
    try (TtrpcClient client = Endpoint.UNIX_SOCKET.connect(server, dir)) {
      List<CompletableFuture<EchoResponse>> futures = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        futures.add(async(client, request("block")));
      }
      awaitStarted(2);
      for (int i = 0; i < 5; i++) {
        futures.add(async(client, request("queued " + i)));
      }
      Thread.sleep(200);
      assertThat(echo.started.get()).as("only the limit runs at once").isEqualTo(2);

      echo.release.countDown();

      AtomicInteger ok = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      for (var f : futures) {
        try {
          f.get(5, TimeUnit.SECONDS);
          ok.incrementAndGet();
        } catch (ExecutionException e) {
          assertThat(((TtrpcException) e.getCause()).code()).isEqualTo(Code.RESOURCE_EXHAUSTED);
          refused.incrementAndGet();
        }
      }
      assertThat(ok.get()).isEqualTo(5); // 2 running + 3 queued
      assertThat(refused.get()).isEqualTo(2);
    }
  }

  @Test
  void manyConnectionsServedAtOnce() throws Exception {
    server = TtrpcServer.builder().addService(echo.service()).build();
    Path socket = dir.resolve("many.sock");
    server.listen(socket);
    List<TtrpcClient> clients = new ArrayList<>();
    try {
      List<CompletableFuture<EchoResponse>> futures = new ArrayList<>();
      for (int c = 0; c < 50; c++) {
        TtrpcClient client = TtrpcClient.connect(socket);
        clients.add(client);
        for (int i = 0; i < 20; i++) {
          futures.add(async(client, request(c + "/" + i)));
        }
      }
      for (int c = 0; c < 50; c++) {
        for (int i = 0; i < 20; i++) {
          assertThat(futures.get(c * 20 + i).get(10, TimeUnit.SECONDS).getText()).isEqualTo(c + "/" + i);
        }
      }
    } finally {
      clients.forEach(TtrpcClient::close);
    }
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
}
