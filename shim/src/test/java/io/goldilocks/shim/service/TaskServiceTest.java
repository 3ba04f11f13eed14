package io.goldilocks.shim.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.goldilocks.api.containerd.cgroups.v2.Metrics;
import io.goldilocks.api.containerd.task.v2.CheckpointTaskRequest;
import io.goldilocks.api.containerd.task.v2.ConnectRequest;
import io.goldilocks.api.containerd.task.v2.ConnectResponse;
import io.goldilocks.api.containerd.task.v2.CreateTaskRequest;
import io.goldilocks.api.containerd.task.v2.CreateTaskResponse;
import io.goldilocks.api.containerd.task.v2.DeleteRequest;
import io.goldilocks.api.containerd.task.v2.DeleteResponse;
import io.goldilocks.api.containerd.task.v2.ExecProcessRequest;
import io.goldilocks.api.containerd.task.v2.KillRequest;
import io.goldilocks.api.containerd.task.v2.PidsRequest;
import io.goldilocks.api.containerd.task.v2.PidsResponse;
import io.goldilocks.api.containerd.task.v2.ShutdownRequest;
import io.goldilocks.api.containerd.task.v2.StartRequest;
import io.goldilocks.api.containerd.task.v2.StartResponse;
import io.goldilocks.api.containerd.task.v2.StateRequest;
import io.goldilocks.api.containerd.task.v2.StateResponse;
import io.goldilocks.api.containerd.task.v2.StatsRequest;
import io.goldilocks.api.containerd.task.v2.StatsResponse;
import io.goldilocks.api.containerd.task.v2.UpdateTaskRequest;
import io.goldilocks.api.containerd.task.v2.WaitRequest;
import io.goldilocks.api.containerd.task.v2.WaitResponse;
import io.goldilocks.api.containerd.types.task.Status;
import io.goldilocks.shim.events.EventOrdering;
import io.goldilocks.shim.events.RecordingEventPublisher;
import io.goldilocks.shim.task.FakeSandbox;
import io.goldilocks.shim.task.SandboxHost;
import io.goldilocks.shim.task.TaskManager;
import io.goldilocks.ttrpc.CallOptions;
import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcClient;
import io.goldilocks.ttrpc.TtrpcException;
import io.goldilocks.ttrpc.TtrpcServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Task service as containerd reaches it: ttrpc over a Unix socket, FakeSandbox behind the domain. */
@Timeout(60)
class TaskServiceTest {
  @TempDir Path dir;
  private final FakeSandbox sandbox = new FakeSandbox("sb");
  private final AtomicBoolean shutdown = new AtomicBoolean();
  private TaskManager tasks;
  private TtrpcServer server;
  private TtrpcClient client;

  @BeforeEach
  void setUp() throws Exception {
    SandboxHost host = new SandboxHost(c -> sandbox, () -> null, e -> tasks.onSandboxEvent(e));
    tasks = new TaskManager(host, new EventOrdering(new RecordingEventPublisher()), "default", () -> {});
    server = TtrpcServer.builder().addService(new TaskService(tasks, () -> shutdown.set(true)).service()).build();
    Path socket = dir.resolve("shim.sock");
    server.listen(socket);
    client = TtrpcClient.connect(socket);
  }

  @AfterEach
  void tearDown() {
    client.close();
    server.close();
  }

  private <R extends Message> R call(String method, Message request, Parser<R> parser) throws TtrpcException {
    return client.call(TaskService.NAME, method, request, parser, CallOptions.timeout(Duration.ofSeconds(10)));
  }

  private void createAndStart(String id) throws Exception {
    Path bundle = Files.createDirectories(dir.resolve(id));
    Files.writeString(bundle.resolve("config.json"), "{\"root\":{\"path\":\"rootfs\"}}");
    CreateTaskResponse created = call("Create", CreateTaskRequest.newBuilder().setId(id)
        .setBundle(bundle.toString()).build(), CreateTaskResponse.parser());
    assertThat(created.getPid()).isZero();
    call("Start", StartRequest.newBuilder().setId(id).build(), StartResponse.parser());
  }

  @Test
  void aTaskLivesThroughCreateStartStateWaitDelete() throws Exception {
    createAndStart("c1");
    StateResponse running = call("State", StateRequest.newBuilder().setId("c1").build(), StateResponse.parser());
    assertThat(running.getStatus()).isEqualTo(Status.RUNNING);
    assertThat(running.getPid()).isPositive();

    CompletableFuture<WaitResponse> waited = client.callAsync(TaskService.NAME, "Wait",
        WaitRequest.newBuilder().setId("c1").build(), WaitResponse.parser(), CallOptions.none());
    call("Kill", KillRequest.newBuilder().setId("c1").setSignal(15).build(), Empty.parser());
    assertThat(waited.get(10, TimeUnit.SECONDS).getExitStatus()).isEqualTo(143);

    sandbox.awaitEvents();
    DeleteResponse deleted = call("Delete", DeleteRequest.newBuilder().setId("c1").build(), DeleteResponse.parser());
    assertThat(deleted.getExitStatus()).isEqualTo(143);
    call("Shutdown", ShutdownRequest.newBuilder().setId("c1").build(), Empty.parser());
    assertThat(shutdown).isTrue();
  }

  @Test
  void errorsReachContainerdWithTheirCodes() throws Exception {
    assertCode(() -> call("State", StateRequest.newBuilder().setId("nope").build(), StateResponse.parser()),
        Code.NOT_FOUND);
    assertCode(() -> call("Checkpoint", CheckpointTaskRequest.newBuilder().setId("x").build(), Empty.parser()),
        Code.UNIMPLEMENTED);
    createAndStart("c1");
    assertCode(() -> call("Exec", ExecProcessRequest.newBuilder().setId("c1").setExecId("e1")
        .setSpec(Any.newBuilder().setTypeUrl("wrong/type").setValue(ByteString.copyFromUtf8("{}"))).build(),
        Empty.parser()), Code.INVALID_ARGUMENT);
    assertCode(() -> call("Delete", DeleteRequest.newBuilder().setId("c1").build(), DeleteResponse.parser()),
        Code.FAILED_PRECONDITION);
    call("Shutdown", ShutdownRequest.newBuilder().setId("c1").build(), Empty.parser());
    assertThat(shutdown).as("Shutdown with a task left is a no-op").isFalse();
  }

  @Test
  void execPidsStatsAndConnectAnswerInContainerdsTypes() throws Exception {
    createAndStart("c1");
    call("Exec", ExecProcessRequest.newBuilder().setId("c1").setExecId("e1")
        .setSpec(Any.newBuilder().setTypeUrl(TaskService.PROCESS_SPEC_TYPE)
            .setValue(ByteString.copyFromUtf8("{\"args\":[\"true\"]}"))).build(), Empty.parser());
    call("Start", StartRequest.newBuilder().setId("c1").setExecId("e1").build(), StartResponse.parser());

    PidsResponse pids = call("Pids", PidsRequest.newBuilder().setId("c1").build(), PidsResponse.parser());
    assertThat(pids.getProcessesCount()).isEqualTo(2);
    assertThat(pids.getProcesses(1).getInfo().getTypeUrl()).isEqualTo("containerd.runc.v1.ProcessDetails");

    StatsResponse stats = call("Stats", StatsRequest.newBuilder().setId("c1").build(), StatsResponse.parser());
    assertThat(stats.getStats().getTypeUrl()).isEqualTo("io.containerd.cgroups.v2.Metrics");
    Metrics metrics = Metrics.parseFrom(stats.getStats().getValue());
    assertThat(metrics.getCpu().getUsageUsec()).isEqualTo(1500);
    assertThat(metrics.getMemory().getUsage()).isEqualTo(4096 * 1024);

    ConnectResponse connect = call("Connect", ConnectRequest.newBuilder().setId("c1").build(),
        ConnectResponse.parser());
    assertThat(connect.getShimPid()).isEqualTo((int) ProcessHandle.current().pid());
    assertThat(connect.getTaskPid()).isPositive();
  }

  @Test
  void updatePassesTheLinuxResourcesJsonAndRefusesOtherTypes() throws Exception {
    createAndStart("c1");
    String json = "{\"memory\":{\"limit\":67108864}}";
    call("Update", UpdateTaskRequest.newBuilder().setId("c1").setResources(Any.newBuilder()
        .setTypeUrl(TaskService.LINUX_RESOURCES_TYPE).setValue(ByteString.copyFromUtf8(json))).build(), Empty.parser());
    assertThat(sandbox.calls).contains("update c1 " + json);
    assertCode(() -> call("Update", UpdateTaskRequest.newBuilder().setId("c1").setResources(Any.newBuilder()
        .setTypeUrl("types.containerd.io/opencontainers/runtime-spec/1/Process")).build(), Empty.parser()),
        Code.INVALID_ARGUMENT);
    assertCode(() -> call("Update", UpdateTaskRequest.newBuilder().setId("nope").setResources(Any.newBuilder()
        .setTypeUrl(TaskService.LINUX_RESOURCES_TYPE)).build(), Empty.parser()), Code.NOT_FOUND);
  }

  private interface Call {
    void run() throws Exception;
  }

  private static void assertCode(Call call, Code code) {
    assertThatThrownBy(call::run).isInstanceOf(TtrpcException.class)
        .extracting(e -> ((TtrpcException) e).code()).isEqualTo(code);
  }
}
