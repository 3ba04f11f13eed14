package io.goldilocks.ttrpc.bench;

import io.goldilocks.ttrpc.CallOptions;
import io.goldilocks.ttrpc.Service;
import io.goldilocks.ttrpc.TtrpcClient;
import io.goldilocks.ttrpc.TtrpcException;
import io.goldilocks.ttrpc.TtrpcServer;
import io.goldilocks.ttrpc.testproto.EchoRequest;
import io.goldilocks.ttrpc.testproto.EchoResponse;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Unary echo over a Unix domain socket: ttrpc-java against grpc-java (Netty epoll, shaded), same JVM, same
 * messages. Measures per-call latency (p50/p99) and throughput, sequentially and with N concurrent callers, after a
 * warm-up of each. Prints a Markdown table.
 *
 * <p>Run: {@code mvn -B -pl ttrpc-java test-compile exec:java@bench} (options: {@code -Dbench.calls=20000
 * -Dbench.threads=16 -Dbench.payload=64}).
 */
public final class TtrpcVsGrpcBenchmark {
  private static final String SERVICE = "bench.Echo";
  private static final int CALLS = Integer.getInteger("bench.calls", 20_000);
  private static final int THREADS = Integer.getInteger("bench.threads", 16);
  private static final int PAYLOAD = Integer.getInteger("bench.payload", 64);

  /** One way to make a blocking unary echo call. */
  private interface Caller {
    EchoResponse call(EchoRequest request) throws Exception;
  }

  private record Result(String system, String mode, int calls, double seconds, long[] nanos) {
    String row() {
      Arrays.sort(nanos);
      return String.format(Locale.ROOT, "| %s | %s | %d | %.1f | %.1f | %.0f |", system, mode, calls,
          micros(percentile(0.50)), micros(percentile(0.99)), calls / seconds);
    }

    private long percentile(double p) {
      return nanos[Math.min(nanos.length - 1, (int) Math.ceil(p * nanos.length) - 1)];
    }

    private static double micros(long nanos) {
      return nanos / 1000.0;
    }
  }

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("ttrpc-bench");
    EchoRequest request = EchoRequest.newBuilder().setText("x".repeat(PAYLOAD)).build();
    List<Result> results = new ArrayList<>();
    ExecutorService callers = Executors.newFixedThreadPool(THREADS);
    try (TtrpcSide ttrpc = new TtrpcSide(dir.resolve("ttrpc.sock")); GrpcSide grpc = new GrpcSide(dir.resolve("grpc.sock"))) {
      for (var side : List.<Object[]>of(new Object[] {"ttrpc-java", ttrpc.caller()},
          new Object[] {"grpc-java", grpc.caller()})) {
        sequential((Caller) side[1], request, CALLS / 2); // warm-up
        concurrent((Caller) side[1], request, CALLS / 2, callers);
      }
      for (var side : List.<Object[]>of(new Object[] {"ttrpc-java", ttrpc.caller()},
          new Object[] {"grpc-java", grpc.caller()})) {
        results.add(measure((String) side[0], "sequential", () -> sequential((Caller) side[1], request, CALLS)));
        results.add(measure((String) side[0], THREADS + " concurrent callers",
            () -> concurrent((Caller) side[1], request, CALLS * 2, callers)));
      }
    } finally {
      callers.shutdownNow();
      try (var files = Files.list(dir)) {
        files.forEach(p -> p.toFile().delete());
      }
      Files.deleteIfExists(dir);
    }
    System.out.printf(Locale.ROOT, "%nUnary echo, %d-byte message, Unix domain socket, JDK %s, %d CPUs%n%n",
        PAYLOAD, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
    System.out.println("| system | mode | calls | p50 µs | p99 µs | calls/s |");
    System.out.println("|---|---|---|---|---|---|");
    results.forEach(r -> System.out.println(r.row()));
    System.exit(0); // grpc-java and our daemon threads: nothing left to wait for
  }

  private static Result measure(String system, String mode, Callable<long[]> run) throws Exception {
    long start = System.nanoTime();
    long[] nanos = run.call();
    return new Result(system, mode, nanos.length, (System.nanoTime() - start) / 1e9, nanos);
  }

  private static long[] sequential(Caller caller, EchoRequest request, int calls) throws Exception {
    long[] nanos = new long[calls];
    for (int i = 0; i < calls; i++) {
      long t = System.nanoTime();
      caller.call(request);
      nanos[i] = System.nanoTime() - t;
    }
    return nanos;
  }

  private static long[] concurrent(Caller caller, EchoRequest request, int calls, ExecutorService callers)
      throws Exception {
    int perThread = calls / THREADS;
    List<Future<long[]>> parts = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      parts.add(callers.submit(() -> sequential(caller, request, perThread)));
    }
    long[] all = new long[perThread * THREADS];
    for (int t = 0; t < THREADS; t++) {
      System.arraycopy(parts.get(t).get(), 0, all, t * perThread, perThread);
    }
    return all;
  }

  /** ttrpc-java server and client on a Unix socket. */
  private static final class TtrpcSide implements AutoCloseable {
    private final TtrpcServer server;
    private final TtrpcClient client;

    TtrpcSide(Path socket) throws Exception {
      server = TtrpcServer.builder().addService(Service.builder(SERVICE)
          .unary("Echo", EchoRequest.parser(), (ctx, q) -> EchoResponse.newBuilder().setText(q.getText()).build())
          .build()).build();
      server.listen(socket);
      client = TtrpcClient.connect(socket);
    }

    Caller caller() {
      return q -> {
        try {
          return client.call(SERVICE, "Echo", q, EchoResponse.parser(), CallOptions.none());
        } catch (TtrpcException e) {
          throw new IllegalStateException(e);
        }
      };
    }

    @Override
    public void close() {
      client.close();
      server.close();
    }
  }

  /** grpc-java server and client on a Unix socket (Netty epoll from grpc-netty-shaded), no code generation. */
  private static final class GrpcSide implements AutoCloseable {
    private static final MethodDescriptor<EchoRequest, EchoResponse> ECHO =
        MethodDescriptor.<EchoRequest, EchoResponse>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Echo"))
            .setRequestMarshaller(ProtoUtils.marshaller(EchoRequest.getDefaultInstance()))
            .setResponseMarshaller(ProtoUtils.marshaller(EchoResponse.getDefaultInstance()))
            .build();

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
    private final Server server;
    private final ManagedChannel channel;

    GrpcSide(Path socket) throws Exception {
      ServerServiceDefinition service = ServerServiceDefinition.builder(SERVICE)
          .addMethod(ECHO, ServerCalls.asyncUnaryCall((q, observer) -> {
            observer.onNext(EchoResponse.newBuilder().setText(q.getText()).build());
            observer.onCompleted();
          }))
          .build();
      server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
          .channelType(EpollServerDomainSocketChannel.class)
          .bossEventLoopGroup(group).workerEventLoopGroup(group)
          .addService(service).build().start();
      channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
          .channelType(EpollDomainSocketChannel.class).eventLoopGroup(group)
          .usePlaintext().build();
    }

    Caller caller() {
      return q -> ClientCalls.blockingUnaryCall(channel, ECHO, io.grpc.CallOptions.DEFAULT, q);
    }

    @Override
    public void close() throws Exception {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }
}
