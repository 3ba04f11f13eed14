package io.goldilocks.ttrpc;

import static io.goldilocks.ttrpc.EchoService.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.goldilocks.ttrpc.testproto.EchoRequest;
import io.goldilocks.ttrpc.testproto.EchoResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Unary calls, their errors, metadata and deadlines, over a Unix socket and over a pair of byte streams. */
class UnaryCallTest {
  @TempDir Path dir;
  private final EchoService echo = new EchoService();
  private final TtrpcServer server = TtrpcServer.builder().addService(echo.service()).build();
  private TtrpcClient client;

  @AfterEach
  void tearDown() {
    echo.release.countDown();
    if (client != null) {
      client.close();
    }
    server.close();
  }

  private EchoResponse call(EchoRequest request, CallOptions options) throws TtrpcException {
    return client.call(EchoService.NAME, "Echo", request, EchoResponse.parser(), options);
  }

  @ParameterizedTest
  @EnumSource(Endpoint.class)
  void echoesRequest(Endpoint endpoint) throws Exception {
    client = endpoint.connect(server, dir);
    EchoRequest request = EchoRequest.newBuilder().setText("hello").setData(ByteString.copyFromUtf8("xyz")).build();

    EchoResponse response = call(request, CallOptions.none());

    assertThat(response.getText()).isEqualTo("hello");
    assertThat(response.getData().toStringUtf8()).isEqualTo("xyz");
  }

  @ParameterizedTest
  @EnumSource(Endpoint.class)
  void asyncCallCompletes(Endpoint endpoint) throws Exception {
    client = endpoint.connect(server, dir);

    CompletableFuture<EchoResponse> future =
        client.callAsync(EchoService.NAME, "Echo", request("async"), EchoResponse.parser(), CallOptions.none());

    assertThat(future.get().getText()).isEqualTo("async");
  }

  @ParameterizedTest
  @EnumSource(Endpoint.class)
  void handlerStatusReachesClient(Endpoint endpoint) throws Exception {
    client = endpoint.connect(server, dir);

    assertThatThrownBy(() -> call(request("error:NOT_FOUND:no such container"), CallOptions.none()))
        .isInstanceOfSatisfying(TtrpcException.class, e -> {
          assertThat(e.code()).isEqualTo(Code.NOT_FOUND);
          assertThat(e.getMessage()).isEqualTo("no such container");
        });
  }

  @ParameterizedTest
  @EnumSource(Endpoint.class)
  void plainExceptionBecomesInternalAndConnectionLives(Endpoint endpoint) throws Exception {
    client = endpoint.connect(server, dir);

    assertThatThrownBy(() -> call(request("boom"), CallOptions.none()))
        .isInstanceOfSatisfying(TtrpcException.class, e -> {
          assertThat(e.code()).isEqualTo(Code.INTERNAL);
          assertThat(e.getMessage()).contains("handler exploded");
        });
    assertThat(call(request("still here"), CallOptions.none()).getText()).isEqualTo("still here");
  }

  @ParameterizedTest
  @EnumSource(Endpoint.class)
  void unknownServiceAndMethodAreUnimplemented(Endpoint endpoint) throws Exception {
    client = endpoint.connect(server, dir);

    assertThatThrownBy(() -> client.call("no.Such", "Echo", request("x"), EchoResponse.parser(), CallOptions.none()))
        .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.UNIMPLEMENTED));
    assertThatThrownBy(() -> client.call(EchoService.NAME, "Nope", request("x"), EchoResponse.parser(),
        CallOptions.none()))
        .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.UNIMPLEMENTED));
  }

  @ParameterizedTest
  @EnumSource(Endpoint.class)
  void metadataReachesHandler(Endpoint endpoint) throws Exception {
    client = endpoint.connect(server, dir);
    CallOptions options = CallOptions.none().withMetadata("Namespace", "k8s.io").withMetadata("namespace", "moby");

    assertThat(call(request("metadata:namespace"), options).getText()).isEqualTo("k8s.io,moby");
    assertThat(call(request("metadata:namespace"), CallOptions.none()).getText()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Endpoint.class)
  void serverEnforcesDeadlineOfSlowHandler(Endpoint endpoint) throws Exception {
    client = endpoint.connect(server, dir);
    EchoRequest slow = EchoRequest.newBuilder().setText("sleep").setSleepMillis(5_000).build();

    long start = System.nanoTime();
    assertThatThrownBy(() -> call(slow, CallOptions.timeout(Duration.ofMillis(200))))
        .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.DEADLINE_EXCEEDED));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(call(request("deadline"), CallOptions.timeout(Duration.ofSeconds(5))).getText())
        .isEqualTo("has deadline");
    assertThat(call(request("deadline"), CallOptions.none()).getText()).isEqualTo("no deadline");
  }

  @ParameterizedTest
  @EnumSource(Endpoint.class)
  void clientDeadlineFiresWhenServerNeverAnswers(Endpoint endpoint) throws Exception {
    // A server whose handler ignores the deadline and a server that never answers look the same to the client:
    // here the handler blocks until released, and the server's own deadline is also 150 ms.
    client = endpoint.connect(server, dir);

    CompletableFuture<EchoResponse> future = client.callAsync(EchoService.NAME, "Echo", request("block"),
        EchoResponse.parser(), CallOptions.timeout(Duration.ofMillis(150)));

    assertThatThrownBy(future::get).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(TtrpcException.class,
            e -> assertThat(e.code()).isEqualTo(Code.DEADLINE_EXCEEDED));
  }

  @ParameterizedTest
  @EnumSource(Endpoint.class)
  void oversizedRequestIsRefusedBeforeSending(Endpoint endpoint) throws Exception {
    client = endpoint.connect(server, dir);
    EchoRequest huge = EchoRequest.newBuilder().setData(ByteString.copyFrom(new byte[5 << 20])).build();

    assertThatThrownBy(() -> call(huge, CallOptions.none()))
        .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.RESOURCE_EXHAUSTED));
    assertThat(call(request("after"), CallOptions.none()).getText()).isEqualTo("after");
  }

  @ParameterizedTest
  @EnumSource(Endpoint.class)
  void oversizedResponseBecomesResourceExhaustedAndConnectionLives(Endpoint endpoint) throws Exception {
    client = endpoint.connect(server, dir);

    assertThatThrownBy(() -> call(request("big:" + (5 << 20)), CallOptions.none()))
        .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.RESOURCE_EXHAUSTED));
    assertThat(call(request("big:1000"), CallOptions.none()).getData().size()).isEqualTo(1000);
  }

  @ParameterizedTest
  @EnumSource(Endpoint.class)
  void handlerReturningNullIsInternal(Endpoint endpoint) throws Exception {
    client = endpoint.connect(server, dir);

    assertThatThrownBy(() -> call(request("null"), CallOptions.none()))
        .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.INTERNAL));
  }
}
