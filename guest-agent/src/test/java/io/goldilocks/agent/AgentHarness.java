package io.goldilocks.agent;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.goldilocks.agent.json.Json;
import io.goldilocks.agent.process.CgroupStats;
import io.goldilocks.api.agent.v1.ContainerRequest;
import io.goldilocks.api.agent.v1.CreateContainerRequest;
import io.goldilocks.api.agent.v1.ExecProcessRequest;
import io.goldilocks.api.agent.v1.ExecProcessResponse;
import io.goldilocks.api.agent.v1.OutputChunk;
import io.goldilocks.api.agent.v1.OutputStream;
import io.goldilocks.api.agent.v1.ProcessRequest;
import io.goldilocks.api.agent.v1.ReadOutputRequest;
import io.goldilocks.api.agent.v1.RemoveContainerRequest;
import io.goldilocks.api.agent.v1.SignalProcessRequest;
import io.goldilocks.api.agent.v1.StartContainerRequest;
import io.goldilocks.api.agent.v1.StartContainerResponse;
import io.goldilocks.api.agent.v1.Stdio;
import io.goldilocks.api.agent.v1.WaitProcessRequest;
import io.goldilocks.api.agent.v1.WaitProcessResponse;
import io.goldilocks.testing.HostRequirements;
import io.goldilocks.ttrpc.CallOptions;
import io.goldilocks.ttrpc.ClientStream;
import io.goldilocks.ttrpc.TtrpcClient;
import io.goldilocks.ttrpc.TtrpcException;
import io.goldilocks.ttrpc.TtrpcServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real agent on a Unix socket in a temp dir, with a busybox rootfs, driven by ttrpc-java's client. Needs root,
 * runc and busybox (HostRequirements: skipped on a dev machine, failing under CI). Closing it force-removes every
 * container, stops the server, and deletes the temp dir and the private cgroup parent.
 */
final class AgentHarness implements AutoCloseable {
  static final CallOptions CALL = CallOptions.timeout(Duration.ofSeconds(60));
  private static final String[] APPLETS = {"sh", "echo", "cat", "sleep", "true", "false", "yes", "head", "kill",
      "wc", "sha256sum", "seq", "tr", "ls"};

  final Path dir;
  final Path rootfs;
  final Agent agent;
  final TtrpcServer server;
  final TtrpcClient client;
  final String cgroupParent;

  AgentHarness() throws IOException {
    HostRequirements.requireRoot();
    Path runc = HostRequirements.requireExecutable("runc");
    Path busybox = HostRequirements.requireExecutable("busybox");
    dir = Files.createTempDirectory("agent-test");
    rootfs = makeRootfs(dir.resolve("rootfs"), busybox);
    cgroupParent = "/goldilocks-test-" + dir.getFileName();
    AgentConfig config = AgentConfig.guestDefaults().withRunc(runc.toString()).withRuncRoot(dir.resolve("runc"))
        .withStateDir(dir.resolve("state")).withCgroupParent(cgroupParent).withApplyHostname(false);
    agent = new Agent(config).start();
    server = agent.server();
    Path socket = dir.resolve("agent.sock");
    server.listen(socket);
    client = TtrpcClient.connect(socket);
  }

  private static Path makeRootfs(Path rootfs, Path busybox) throws IOException {
    Path bin = Files.createDirectories(rootfs.resolve("bin"));
    Files.copy(busybox, bin.resolve("busybox"));
    bin.resolve("busybox").toFile().setExecutable(true);
    for (String applet : APPLETS) {
      Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
    }
    for (String d : new String[] {"proc", "dev", "sys", "tmp", "etc"}) {
      Files.createDirectories(rootfs.resolve(d));
    }
    return rootfs;
  }

  /** A minimal OCI spec running {@code args} (runc spec's defaults, trimmed). */
  static String spec(String... args) {
    Map<String, Object> process = process(args);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("ociVersion", "1.0.2");
    spec.put("process", process);
    spec.put("root", Map.of("path", "rootfs"));
    spec.put("hostname", "test");
    spec.put("mounts", List.of(Map.of("destination", "/proc", "type", "proc", "source", "proc"),
        Map.of("destination", "/dev", "type", "tmpfs", "source", "tmpfs",
            "options", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
        Map.of("destination", "/dev/pts", "type", "devpts", "source", "devpts",
            "options", List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"))));
    List<Object> namespaces = new ArrayList<>();
    for (String ns : new String[] {"pid", "ipc", "uts", "mount"}) {
      namespaces.add(Map.of("type", ns));
    }
    namespaces.add(Map.of("type", "network", "path", "/var/run/netns/host-only"));
    spec.put("linux", new LinkedHashMap<>(Map.of("namespaces", namespaces, "cgroupsPath", "system.slice:x:y")));
    return Json.write(spec);
  }

  static Map<String, Object> process(String... args) {
    Map<String, Object> process = new LinkedHashMap<>();
    process.put("args", List.of((Object[]) args));
    process.put("cwd", "/");
    process.put("env", List.of("PATH=/bin"));
    process.put("user", Map.of("uid", 0, "gid", 0));
    return process;
  }

  static Stdio stdio(boolean stdin) {
    return Stdio.newBuilder().setStdin(stdin).setStdout(true).setStderr(true).build();
  }

  void create(String id, String spec, Stdio stdio) throws TtrpcException {
    call("CreateContainer", CreateContainerRequest.newBuilder().setContainerId(id)
        .setOciSpec(ByteString.copyFromUtf8(spec)).setRootfsPath(rootfs.toString()).setStdio(stdio).build(),
        Empty.parser());
  }

  int start(String id) throws TtrpcException {
    return call("StartContainer", StartContainerRequest.newBuilder().setContainerId(id).build(),
        StartContainerResponse.parser()).getPid();
  }

  /** Creates and starts a container running {@code args} with stdout/stderr (and optionally stdin) connected. */
  int run(String id, boolean stdin, String... args) throws TtrpcException {
    create(id, spec(args), stdio(stdin));
    return start(id);
  }

  int exec(String id, String execId, boolean stdin, String... args) throws TtrpcException {
    return call("ExecProcess", ExecProcessRequest.newBuilder().setContainerId(id).setExecId(execId)
        .setProcess(ByteString.copyFromUtf8(Json.write(process(args)))).setStdio(stdio(stdin)).build(),
        ExecProcessResponse.parser()).getPid();
  }

  WaitProcessResponse await(String id, String execId) throws TtrpcException {
    return call("WaitProcess", WaitProcessRequest.newBuilder().setContainerId(id).setExecId(execId).build(),
        WaitProcessResponse.parser());
  }

  void signal(String id, String execId, int signal, boolean all) throws TtrpcException {
    call("SignalProcess", SignalProcessRequest.newBuilder().setContainerId(id).setExecId(execId).setSignal(signal)
        .setAll(all).build(), Empty.parser());
  }

  void closeStdin(String id, String execId) throws TtrpcException {
    call("CloseStdin", ProcessRequest.newBuilder().setContainerId(id).setExecId(execId).build(), Empty.parser());
  }

  void remove(String id, boolean force) throws TtrpcException {
    call("RemoveContainer", RemoveContainerRequest.newBuilder().setContainerId(id).setForce(force).build(),
        Empty.parser());
  }

  void containerCall(String method, String id) throws TtrpcException {
    call(method, ContainerRequest.newBuilder().setContainerId(id).build(), Empty.parser());
  }

  ClientStream<ReadOutputRequest, OutputChunk> openOutput(String id, String execId, OutputStream which)
      throws TtrpcException {
    return client.stream(Agent.SERVICE, "ReadOutput", ReadOutputRequest.newBuilder().setContainerId(id)
        .setExecId(execId).setStream(which).build(), OutputChunk.parser(), CALL, false);
  }

  /** Reads a whole output stream to EOF. */
  byte[] readAll(String id, String execId, OutputStream which) throws TtrpcException {
    return drain(openOutput(id, execId, which));
  }

  static byte[] drain(ClientStream<ReadOutputRequest, OutputChunk> stream) throws TtrpcException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (OutputChunk c = stream.receive(); c != null; c = stream.receive()) {
      all.writeBytes(c.getData().toByteArray());
    }
    return all.toByteArray();
  }

  <R extends Message> R call(String method, Message request, Parser<R> parser) throws TtrpcException {
    return client.call(Agent.SERVICE, method, request, parser, CALL);
  }

  /** The runc state directory of the agent (one subdirectory per container runc knows). */
  Path runcRoot() {
    return agent.config().runcRoot();
  }

  @Override
  public void close() throws Exception {
    try {
      agent.removeAllContainers();
    } finally {
      client.close();
      server.close();
      new CgroupStats(Path.of("/sys/fs/cgroup")).removeEmpty(cgroupParent);
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
