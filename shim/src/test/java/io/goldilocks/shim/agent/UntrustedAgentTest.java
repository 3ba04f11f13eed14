package io.goldilocks.shim.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.goldilocks.api.agent.v1.CheckRequest;
import io.goldilocks.api.agent.v1.CheckResponse;
import io.goldilocks.api.agent.v1.ContainerRequest;
import io.goldilocks.api.agent.v1.CreateContainerRequest;
import io.goldilocks.api.agent.v1.Event;
import io.goldilocks.api.agent.v1.EventsRequest;
import io.goldilocks.api.agent.v1.ListPidsResponse;
import io.goldilocks.api.agent.v1.OutputChunk;
import io.goldilocks.api.agent.v1.OutputStream;
import io.goldilocks.api.agent.v1.ProcessExited;
import io.goldilocks.api.agent.v1.ProcessPid;
import io.goldilocks.api.agent.v1.ReadOutputRequest;
import io.goldilocks.api.agent.v1.StartContainerRequest;
import io.goldilocks.api.agent.v1.StartContainerResponse;
import io.goldilocks.api.agent.v1.WaitProcessRequest;
import io.goldilocks.api.agent.v1.WaitProcessResponse;
import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.Service;
import io.goldilocks.ttrpc.TtrpcException;
import io.goldilocks.ttrpc.TtrpcServer;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * AgentClient against a FakeLyingAgent: a ttrpc server that answers out of agent.proto's bounds or not at all (the
 * real agent cannot be made to lie). Every lie must surface as INTERNAL "agent sent ...", silence as
 * DEADLINE_EXCEEDED, and nothing may hang.
 */
class UntrustedAgentTest {
  private Path dir;
  private TtrpcServer fake;
  private AgentClient client;

  @BeforeEach
  void setUp() throws Exception {
    dir = Files.createTempDirectory("untrusted-agent");
    fake = TtrpcServer.builder().addService(lyingHealth()).addService(lyingAgent()).build();
    fake.listen(dir.resolve("agent.sock"));
    client = AgentClient.connect(dir.resolve("agent.sock"),
        new AgentClientConfig(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2)));
  }

  @AfterEach
  void tearDown() throws Exception {
    client.close();
    fake.close();
    Files.deleteIfExists(dir.resolve("agent.sock"));
    Files.deleteIfExists(dir);
  }

  /** Health answers with a future API version. */
  private static Service lyingHealth() {
    return Service.builder(AgentClient.HEALTH).unary("Check", CheckRequest.parser(),
        (ctx, r) -> CheckResponse.newBuilder().setApiVersion(2).setAgentVersion("9").build()).build();
  }

  private static Service lyingAgent() {
    return Service.builder(AgentClient.AGENT)
        .unary("CreateContainer", CreateContainerRequest.parser(), (ctx, r) -> Empty.getDefaultInstance())
        .unary("StartContainer", StartContainerRequest.parser(),
            (ctx, r) -> StartContainerResponse.newBuilder().setPid(0).build())
        .unary("WaitProcess", WaitProcessRequest.parser(), (ctx, r) -> {
          if (r.getExecId().equals("silent")) {
            Thread.sleep(60_000); // an agent that never answers
          }
          return WaitProcessResponse.newBuilder().setExitStatus(300)
              .setExitedAt(com.google.protobuf.Timestamp.newBuilder().setSeconds(1)).build();
        })
        .unary("ListPids", ContainerRequest.parser(), (ctx, r) -> ListPidsResponse.newBuilder()
            .addPids(ProcessPid.newBuilder().setPid(10).setExecId("never-created")).build())
        .<ReadOutputRequest, OutputChunk>serverStreaming("ReadOutput", ReadOutputRequest.parser(), (ctx, s) -> {
          s.receive();
          s.send(OutputChunk.newBuilder().setData(ByteString.copyFrom(new byte[64 * 1024 + 1])).build());
        })
        .<EventsRequest, Event>serverStreaming("Events", EventsRequest.parser(), (ctx, s) -> {
          s.receive();
          s.send(Event.newBuilder().setSequence(1).setExited(ProcessExited.newBuilder()
              .setContainerId("stranger").setPid(5).setExitStatus(0)
              .setExitedAt(com.google.protobuf.Timestamp.newBuilder().setSeconds(1))).build());
          Thread.sleep(60_000);
        })
        .build();
  }

  private static void assertCode(Throwable t, Code code) {
    Throwable cause = t instanceof TtrpcException ? t : t.getCause();
    assertThat(cause).isInstanceOf(TtrpcException.class);
    assertThat(((TtrpcException) cause).code()).isEqualTo(code);
  }

  @Test
  void anotherApiVersionIsRefused() {
    assertThatThrownBy(() -> client.checkHealth(Duration.ofSeconds(2)))
        .satisfies(t -> assertCode(t, Code.FAILED_PRECONDITION));
  }

  @Test
  void impossibleValuesAreInternalErrors() throws Exception {
    client.createContainer(CreateContainerRequest.newBuilder().setContainerId("c1").build());
    assertThatThrownBy(() -> client.startContainer("c1")).satisfies(t -> assertCode(t, Code.INTERNAL))
        .hasMessageContaining("agent sent");
    assertThatThrownBy(() -> client.waitProcess("c1", "", Duration.ofSeconds(2)))
        .satisfies(t -> assertCode(t, Code.INTERNAL));
    assertThatThrownBy(() -> client.listPids("c1")).satisfies(t -> assertCode(t, Code.INTERNAL));
  }

  @Test
  void anOversizedChunkFailsThePump() {
    OutputPump pump;
    try {
      pump = client.pumpOutput("c1", "", OutputStream.STDOUT, new ByteArrayOutputStream());
    } catch (TtrpcException e) {
      throw new AssertionError(e);
    }
    assertThatThrownBy(() -> pump.done().get(10, TimeUnit.SECONDS)).satisfies(t -> assertCode(t, Code.INTERNAL));
  }

  @Test
  void anEventForAProcessNeverCreatedEndsTheSubscription() throws Exception {
    CompletableFuture<TtrpcException> ended = new CompletableFuture<>();
    client.subscribeEvents(e -> {
      throw new AssertionError("delivered a lie: " + e);
    }, ended::complete);
    assertThat(ended.get(10, TimeUnit.SECONDS).code()).isEqualTo(Code.INTERNAL);
  }

  @Test
  void awaitReadyGivesUpOnAnAgentThatNeverAnswers() throws Exception {
    TtrpcServer silent = TtrpcServer.builder().addService(Service.builder(AgentClient.HEALTH)
        .unary("Check", CheckRequest.parser(), (ctx, r) -> {
          Thread.sleep(60_000);
          return CheckResponse.getDefaultInstance();
        }).build()).build();
    Path socket = dir.resolve("silent.sock");
    silent.listen(socket);
    try (AgentClient c = AgentClient.connect(socket, AgentClientConfig.defaults())) {
      Instant before = Instant.now();
      assertThatThrownBy(() -> c.awaitReady(Duration.ofMillis(900), Duration.ofMillis(300)))
          .satisfies(t -> assertCode(t, Code.DEADLINE_EXCEEDED));
      assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(10));
    } finally {
      silent.close();
      Files.deleteIfExists(socket);
    }
  }

  @Test
  void aSilentAgentMeetsTheDeadline() {
    Instant before = Instant.now();
    assertThatThrownBy(() -> client.waitProcess("c1", "silent", Duration.ofMillis(500)))
        .satisfies(t -> assertCode(t, Code.DEADLINE_EXCEEDED));
    assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(10));
  }
}
