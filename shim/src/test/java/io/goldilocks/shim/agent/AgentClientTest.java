package io.goldilocks.shim.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.goldilocks.agent.Agent;
import io.goldilocks.agent.AgentConfig;
import io.goldilocks.api.agent.v1.CheckResponse;
import io.goldilocks.api.agent.v1.CreateContainerRequest;
import io.goldilocks.api.agent.v1.ExecProcessRequest;
import io.goldilocks.api.agent.v1.OutputStream;
import io.goldilocks.api.agent.v1.ProcessPid;
import io.goldilocks.api.agent.v1.Stdio;
import io.goldilocks.testing.HostRequirements;
import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import io.goldilocks.ttrpc.TtrpcServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** AgentClient against the real guest agent (in-process, on a Unix socket) running busybox containers with runc. */
class AgentClientTest {
  private static final String[] APPLETS = {"sh", "echo", "cat", "sleep", "true"};

  private Path dir;
  private Path rootfs;
  private Agent agent;
  private TtrpcServer server;
  private AgentClient client;

  @BeforeEach
  void setUp() throws Exception {
    HostRequirements.requireRoot();
    Path runc = HostRequirements.requireExecutable("runc");
    Path busybox = HostRequirements.requireExecutable("busybox");
    dir = Files.createTempDirectory("agent-client-test");
    rootfs = dir.resolve("rootfs");
    Path bin = Files.createDirectories(rootfs.resolve("bin"));
    Files.copy(busybox, bin.resolve("busybox"));
    for (String applet : APPLETS) {
      Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
    }
    for (String d : new String[] {"proc", "dev", "tmp"}) {
      Files.createDirectories(rootfs.resolve(d));
    }
    agent = new Agent(AgentConfig.guestDefaults().withRunc(runc.toString()).withRuncRoot(dir.resolve("runc"))
        .withStateDir(dir.resolve("state")).withCgroupParent(cgroupParent()).withApplyHostname(false));
    server = agent.server();
    server.listen(dir.resolve("agent.sock"));
    client = AgentClient.connect(dir.resolve("agent.sock"), AgentClientConfig.defaults());
  }

  private String cgroupParent() {
    return "/goldilocks-client-test-" + dir.getFileName();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (dir == null) {
      return;
    }
    try {
      client.close();
      agent.removeAllContainers();
      server.close();
    } finally {
      new io.goldilocks.agent.process.CgroupStats(Path.of("/sys/fs/cgroup")).removeEmpty(cgroupParent());
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private static String spec(String script) {
    return "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\",\"-c\"," + quote(script) + "],\"cwd\":\"/\","
        + "\"env\":[\"PATH=/bin\"],\"user\":{\"uid\":0,\"gid\":0}},\"root\":{\"path\":\"rootfs\"},"
        + "\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"}],"
        + "\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"mount\"},{\"type\":\"ipc\"}]}}";
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private void create(String id, String script, boolean stdin) throws TtrpcException {
    client.createContainer(CreateContainerRequest.newBuilder().setContainerId(id)
        .setOciSpec(ByteString.copyFromUtf8(spec(script))).setRootfsPath(rootfs.toString())
        .setStdio(Stdio.newBuilder().setStdin(stdin).setStdout(true).setStderr(true)).build());
  }

  @Test
  void healthReportsTheAgentAndItsKernel() throws Exception {
    CheckResponse health = client.awaitReady(Duration.ofSeconds(30), Duration.ofSeconds(5));
    assertThat(health.getAgentVersion()).isNotEmpty();
    assertThat(health.getKernelRelease()).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/osrelease"))
        .strip());
    assertThat(health.getApiVersion()).isEqualTo(AgentClient.API_VERSION);
  }

  @Test
  void aContainerRunsWithPumpedStdioAndReportsItsExit() throws Exception {
    BlockingQueue<GuestEvent> events = new LinkedBlockingQueue<>();
    CompletableFuture<TtrpcException> ended = new CompletableFuture<>();
    EventStream subscription = client.subscribeEvents(events::add, ended::complete);
    create("c1", "cat; echo err >&2; exit 5", true);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    OutputPump outPump = client.pumpOutput("c1", "", OutputStream.STDOUT, out);
    OutputPump errPump = client.pumpOutput("c1", "", OutputStream.STDERR, err);
    int pid = client.startContainer("c1");
    StdinPump in = client.pumpStdin("c1", "", new ByteArrayInputStream("hello guest".getBytes()), true);
    assertThat(in.done().get(30, TimeUnit.SECONDS)).isEqualTo(11);
    assertThat(outPump.done().get(30, TimeUnit.SECONDS)).isEqualTo(11);
    errPump.done().get(30, TimeUnit.SECONDS);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("hello guest");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("err\n");
    assertThat(client.waitProcess("c1", "", Duration.ofSeconds(30)).status()).isEqualTo(5);
    GuestEvent e = events.poll(30, TimeUnit.SECONDS);
    assertThat(e).isInstanceOf(GuestEvent.ProcessExited.class);
    GuestEvent.ProcessExited exited = (GuestEvent.ProcessExited) e;
    assertThat(exited.containerId()).isEqualTo("c1");
    assertThat(exited.pid()).isEqualTo(pid);
    assertThat(exited.exit().status()).isEqualTo(5);
    subscription.close();
    assertThat(ended.get(5, TimeUnit.SECONDS).code()).isEqualTo(Code.CANCELLED);
    client.removeContainer("c1", false);
  }

  @Test
  void execsAreListedAndWaitTimesOutWhileRunning() throws Exception {
    create("c1", "sleep 1000", false);
    int init = client.startContainer("c1");
    int exec = client.execProcess(ExecProcessRequest.newBuilder().setContainerId("c1").setExecId("e1")
        .setProcess(ByteString.copyFromUtf8(
            "{\"args\":[\"sleep\",\"1000\"],\"cwd\":\"/\",\"env\":[\"PATH=/bin\"]}")).build());
    List<ProcessPid> pids = client.listPids("c1");
    assertThat(pids).extracting(ProcessPid::getPid).contains(init, exec);
    assertThatThrownBy(() -> client.waitProcess("c1", "e1", Duration.ofMillis(300)))
        .satisfies(t -> assertThat(((TtrpcException) t).code()).isEqualTo(Code.DEADLINE_EXCEEDED));
    client.signalProcess("c1", "e1", 15, false);
    assertThat(client.waitProcess("c1", "e1", Duration.ofSeconds(30)).status()).isEqualTo(143);
    client.removeProcess("c1", "e1");
    assertThatThrownBy(() -> client.waitProcess("c1", "e1", Duration.ofSeconds(5)))
        .satisfies(t -> assertThat(((TtrpcException) t).code()).isEqualTo(Code.NOT_FOUND));
    client.removeContainer("c1", true);
    assertThatThrownBy(() -> client.waitProcess("c1", "", Duration.ofSeconds(5)))
        .satisfies(t -> assertThat(((TtrpcException) t).code()).isEqualTo(Code.NOT_FOUND));
  }

  @Test
  void aDeadConnectionFailsCallsAndPumpsWithUnavailable() throws Exception {
    create("c1", "sleep 1000", false);
    client.startContainer("c1");
    OutputPump pump = client.pumpOutput("c1", "", OutputStream.STDOUT, new ByteArrayOutputStream());
    server.close(); // the agent goes away
    assertThatThrownBy(() -> pump.done().get(30, TimeUnit.SECONDS))
        .hasCauseInstanceOf(TtrpcException.class)
        .satisfies(t -> assertThat(((TtrpcException) t.getCause()).code()).isEqualTo(Code.UNAVAILABLE));
    assertThatThrownBy(() -> client.checkHealth(Duration.ofSeconds(5)))
        .satisfies(t -> assertThat(((TtrpcException) t).code()).isEqualTo(Code.UNAVAILABLE));
  }
}
