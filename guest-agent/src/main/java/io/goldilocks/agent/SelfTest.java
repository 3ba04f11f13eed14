package io.goldilocks.agent;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.goldilocks.agent.event.AgentEvent;
import io.goldilocks.agent.event.EventQueue;
import io.goldilocks.agent.process.CgroupStats;
import io.goldilocks.agent.process.ExitStatus;
import io.goldilocks.agent.process.GuestSpec;
import io.goldilocks.api.agent.v1.CheckRequest;
import io.goldilocks.api.agent.v1.CheckResponse;
import io.goldilocks.api.agent.v1.CreateContainerRequest;
import io.goldilocks.api.agent.v1.ExecProcessRequest;
import io.goldilocks.api.agent.v1.ExecProcessResponse;
import io.goldilocks.api.agent.v1.OutputChunk;
import io.goldilocks.api.agent.v1.OutputStream;
import io.goldilocks.api.agent.v1.ReadOutputRequest;
import io.goldilocks.api.agent.v1.RemoveContainerRequest;
import io.goldilocks.api.agent.v1.StartContainerRequest;
import io.goldilocks.api.agent.v1.StartContainerResponse;
import io.goldilocks.api.agent.v1.Stdio;
import io.goldilocks.api.agent.v1.WaitProcessRequest;
import io.goldilocks.api.agent.v1.WaitProcessResponse;
import io.goldilocks.ttrpc.CallOptions;
import io.goldilocks.ttrpc.ClientStream;
import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcClient;
import io.goldilocks.ttrpc.TtrpcException;
import io.goldilocks.ttrpc.TtrpcServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code --self-test}: runs the agent's main code paths in-process (ttrpc server and client on a temporary Unix
 * socket, request checks, error mapping, spec rewrite, events, stats mapping) and, given {@code --rootfs} and a
 * working runc, a real container with output, an exec and removal. Used as the AppCDS training run and as a smoke
 * test of a built image. Not thread-safe (runs once on the main thread).
 */
final class SelfTest {
  private static final CallOptions CALL = CallOptions.timeout(Duration.ofSeconds(60));
  private static final String SAMPLE_SPEC = "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\",\"-c\","
      + "\"echo self-test\"],\"cwd\":\"/\",\"env\":[\"PATH=/bin:/usr/bin\"],\"user\":{\"uid\":0,\"gid\":0}},"
      + "\"root\":{\"path\":\"rootfs\"},\"hooks\":{\"prestart\":[{\"path\":\"/usr/bin/true\"}]},"
      + "\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"}],"
      + "\"linux\":{\"cgroupsPath\":\"k8s.slice:cri:x\",\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"mount\"},"
      + "{\"type\":\"network\",\"path\":\"/var/run/netns/cni-1\"}]}}";

  private SelfTest() {}

  static boolean run(AgentConfig base, Path rootfs) {
    Path dir = null;
    String cgroupParent = "/goldilocks-selftest-" + ProcessHandle.current().pid();
    try {
      dir = Files.createTempDirectory("goldilocks-agent-selftest");
      AgentConfig config = base.withStateDir(dir.resolve("state")).withRuncRoot(dir.resolve("runc"))
          .withCgroupParent(cgroupParent).withApplyHostname(false);
      offline();
      online(config, dir.resolve("agent.sock"), rootfs);
      System.out.println("self-test: OK");
      return true;
    } catch (Exception | AssertionError e) {
      System.out.println("self-test: FAILED: " + e);
      e.printStackTrace();
      return false;
    } finally {
      new CgroupStats(base.cgroupMount()).removeEmpty(cgroupParent);
      deleteTree(dir);
    }
  }

  /** Pieces that need no server. */
  private static void offline() throws Exception {
    String rewritten = new GuestSpec("/goldilocks", Map.of()).rewrite("c1", SAMPLE_SPEC, Path.of("/tmp"),
        false);
    check(rewritten.contains("\"cgroupsPath\":\"/goldilocks/c1/ctr\"") && !rewritten.contains("hooks")
        && !rewritten.contains("netns"), "spec rewrite: " + rewritten);
    EventQueue q = new EventQueue(2);
    q.publish(new AgentEvent.ProcessExited("c1", "", 1, new ExitStatus(137, Instant.now())));
    q.publish(new AgentEvent.OomKilled("c1"));
    EventQueue.Subscription sub = q.subscribe();
    EventQueue.Sequenced first = sub.next(0);
    sub.acknowledge(first);
    check(EventsRpc.toProto(first).getExited().getExitStatus() == 137, "event mapping");
    check(EventsRpc.toProto(sub.next(0)).hasOom(), "oom mapping");
    StatsRpc.toProto(new CgroupStats.Snapshot(Map.of("usage_usec", 1L), 1, CgroupStats.UNLIMITED, 0, 0, Map.of(),
        Map.of(), 1, CgroupStats.UNLIMITED, java.util.List.of()));
  }

  /** The RPC surface over a real ttrpc connection. */
  private static void online(AgentConfig config, Path socket, Path rootfs) throws Exception {
    Agent agent = new Agent(config);
    try (TtrpcServer server = agent.server()) {
      server.listen(socket);
      try (TtrpcClient client = TtrpcClient.connect(socket)) {
        CheckResponse health = client.call(HealthRpc.SERVICE, "Check", CheckRequest.getDefaultInstance(),
            CheckResponse.parser(), CALL);
        check(health.getApiVersion() == HealthRpc.API_VERSION, "health");
        expectCode(Code.INVALID_ARGUMENT, () -> create(client, "bad id!", SAMPLE_SPEC, "/"));
        expectCode(Code.RESOURCE_EXHAUSTED, () -> create(client, "c1", "x".repeat(RequestChecks.SPEC_MAX + 1),
            "/"));
        expectCode(Code.NOT_FOUND, () -> client.call(Agent.SERVICE, "WaitProcess",
            WaitProcessRequest.newBuilder().setContainerId("nope").build(), WaitProcessResponse.parser(), CALL));
        if (rootfs != null) {
          container(client, rootfs);
        }
      } finally {
        agent.removeAllContainers();
      }
    }
  }

  /** A real container: create, read output while starting, wait, exec, remove. */
  private static void container(TtrpcClient client, Path rootfs) throws Exception {
    create(client, "selftest", SAMPLE_SPEC, rootfs.toString());
    ClientStream<ReadOutputRequest, OutputChunk> out = client.stream(Agent.SERVICE, "ReadOutput",
        ReadOutputRequest.newBuilder().setContainerId("selftest").setStream(OutputStream.STDOUT).build(),
        OutputChunk.parser(), CALL, false);
    client.call(Agent.SERVICE, "StartContainer", StartContainerRequest.newBuilder().setContainerId("selftest")
        .build(), StartContainerResponse.parser(), CALL);
    String text = drain(out);
    check(text.equals("self-test\n"), "container output: " + text);
    WaitProcessResponse exit = client.call(Agent.SERVICE, "WaitProcess", WaitProcessRequest.newBuilder()
        .setContainerId("selftest").build(), WaitProcessResponse.parser(), CALL);
    check(exit.getExitStatus() == 0, "exit status " + exit.getExitStatus());
    expectCode(Code.FAILED_PRECONDITION, () -> client.call(Agent.SERVICE, "ExecProcess",
        ExecProcessRequest.newBuilder().setContainerId("selftest").setExecId("e1")
            .setProcess(ByteString.copyFromUtf8("{\"args\":[\"true\"],\"cwd\":\"/\"}")).build(),
        ExecProcessResponse.parser(), CALL));
    client.call(Agent.SERVICE, "RemoveContainer", RemoveContainerRequest.newBuilder().setContainerId("selftest")
        .build(), Empty.parser(), CALL);
  }

  private static String drain(ClientStream<ReadOutputRequest, OutputChunk> stream) throws TtrpcException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (OutputChunk c = stream.receive(); c != null; c = stream.receive()) {
      all.writeBytes(c.getData().toByteArray());
    }
    return all.toString(StandardCharsets.UTF_8);
  }

  private static Empty create(TtrpcClient client, String id, String spec, String rootfs) throws TtrpcException {
    return client.call(Agent.SERVICE, "CreateContainer", CreateContainerRequest.newBuilder().setContainerId(id)
        .setOciSpec(ByteString.copyFromUtf8(spec)).setRootfsPath(rootfs)
        .setStdio(Stdio.newBuilder().setStdout(true).setStderr(true)).build(), Empty.parser(), CALL);
  }

  /** A call that must fail with {@code code}. */
  @FunctionalInterface
  private interface Call {
    Object run() throws Exception;
  }

  private static void expectCode(Code code, Call call) throws Exception {
    try {
      call.run();
    } catch (TtrpcException e) {
      check(e.code() == code, "expected " + code + ", got " + e);
      return;
    }
    throw new AssertionError("expected " + code + ", but the call succeeded");
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError(what);
    }
  }

  private static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }
}
