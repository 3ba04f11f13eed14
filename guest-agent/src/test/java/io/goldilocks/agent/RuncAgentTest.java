package io.goldilocks.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.goldilocks.agent.json.Json;
import io.goldilocks.api.agent.v1.ContainerRequest;
import io.goldilocks.api.agent.v1.Event;
import io.goldilocks.api.agent.v1.EventsRequest;
import io.goldilocks.api.agent.v1.ListPidsResponse;
import io.goldilocks.api.agent.v1.OutputChunk;
import io.goldilocks.api.agent.v1.OutputStream;
import io.goldilocks.api.agent.v1.ProcessPid;
import io.goldilocks.api.agent.v1.ReadOutputRequest;
import io.goldilocks.api.agent.v1.StdinChunk;
import io.goldilocks.api.agent.v1.WaitProcessResponse;
import io.goldilocks.api.agent.v1.WriteStdinResponse;
import io.goldilocks.ttrpc.ClientStream;
import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent driving real runc with a busybox rootfs, over a real ttrpc connection. */
class RuncAgentTest {
  private AgentHarness h;

  @BeforeEach
  void setUp() throws Exception {
    h = new AgentHarness();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void exitCodesAreExact() throws Exception {
    h.run("zero", false, "true");
    h.run("three", false, "sh", "-c", "exit 3");
    h.run("killed", false, "sleep", "1000");
    h.signal("killed", "", 9, false);
    assertThat(h.await("zero", "").getExitStatus()).isEqualTo(0);
    assertThat(h.await("three", "").getExitStatus()).isEqualTo(3);
    assertThat(h.await("killed", "").getExitStatus()).isEqualTo(137);
  }

  @Test
  void sigtermToAnExecGives143AndExitsOfExecsAreKept() throws Exception {
    h.run("c", false, "sleep", "1000");
    h.exec("c", "term", false, "sleep", "1000");
    h.exec("c", "seven", false, "sh", "-c", "exit 7");
    h.signal("c", "term", 15, false);
    assertThat(h.await("c", "term").getExitStatus()).isEqualTo(143);
    assertThat(h.await("c", "seven").getExitStatus()).isEqualTo(7);
    // asked again long after the exit: answered at once, from the kept status
    assertThat(h.await("c", "seven").getExitStatus()).isEqualTo(7);
    assertThatThrownBy(() -> h.signal("c", "seven", 9, false))
        .satisfies(e -> assertThat(((TtrpcException) e).code()).isEqualTo(Code.NOT_FOUND));
    // an exited exec is forgotten on request and its id reused; a running one cannot be
    io.goldilocks.api.agent.v1.ProcessRequest seven = io.goldilocks.api.agent.v1.ProcessRequest.newBuilder()
        .setContainerId("c").setExecId("seven").build();
    h.call("RemoveProcess", seven, Empty.parser());
    assertThatThrownBy(() -> h.await("c", "seven"))
        .satisfies(e -> assertThat(((TtrpcException) e).code()).isEqualTo(Code.NOT_FOUND));
    h.exec("c", "seven", false, "sleep", "1000");
    assertThatThrownBy(() -> h.call("RemoveProcess", seven, Empty.parser()))
        .satisfies(e -> assertThat(((TtrpcException) e).code()).isEqualTo(Code.FAILED_PRECONDITION));
  }

  @Test
  void stdoutAndStderrAreSeparate() throws Exception {
    h.create("c", AgentHarness.spec("sh", "-c", "echo to-out; echo to-err >&2; exit 4"), AgentHarness.stdio(false));
    ClientStream<ReadOutputRequest, OutputChunk> out = h.openOutput("c", "", OutputStream.STDOUT);
    ClientStream<ReadOutputRequest, OutputChunk> err = h.openOutput("c", "", OutputStream.STDERR);
    h.start("c");
    assertThat(new String(AgentHarness.drain(out), StandardCharsets.UTF_8)).isEqualTo("to-out\n");
    assertThat(new String(AgentHarness.drain(err), StandardCharsets.UTF_8)).isEqualTo("to-err\n");
    assertThat(h.await("c", "").getExitStatus()).isEqualTo(4);
  }

  @Test
  void stdinReachesTheProcessAndCloseStdinEndsIt() throws Exception {
    h.run("c", true, "sh", "-c", "read line; echo got:$line; cat; echo end");
    ClientStream<StdinChunk, WriteStdinResponse> in = h.client.stream(Agent.SERVICE, "WriteStdin",
        StdinChunk.newBuilder().setContainerId("c").setData(ByteString.copyFromUtf8("hello\n")).build(),
        WriteStdinResponse.parser(), AgentHarness.CALL, true);
    in.send(StdinChunk.newBuilder().setData(ByteString.copyFromUtf8("more")).build());
    in.closeSend();
    assertThat(in.receive().getBytesWritten()).isEqualTo(10);
    h.closeStdin("c", "");
    assertThat(new String(h.readAll("c", "", OutputStream.STDOUT), StandardCharsets.UTF_8))
        .isEqualTo("got:hello\nmoreend\n");
    assertThat(h.await("c", "").getExitStatus()).isEqualTo(0);
  }

  @Test
  void aTerminalProcessGetsAPtyInputAndItsWindowSize() throws Exception {
    h.create("t", AgentHarness.spec("sh", "-c", "tty; read x; stty size; echo got:$x; exit 6"),
        io.goldilocks.api.agent.v1.Stdio.newBuilder().setTerminal(true).setStdin(true).setStdout(true).build());
    ClientStream<ReadOutputRequest, OutputChunk> out = h.openOutput("t", "", OutputStream.STDOUT);
    h.start("t");
    h.call("ResizeTty", io.goldilocks.api.agent.v1.ResizeTtyRequest.newBuilder().setContainerId("t").setWidth(100)
        .setHeight(40).build(), Empty.parser());
    ClientStream<StdinChunk, WriteStdinResponse> in = h.client.stream(Agent.SERVICE, "WriteStdin",
        StdinChunk.newBuilder().setContainerId("t").setData(ByteString.copyFromUtf8("hello\n")).build(),
        WriteStdinResponse.parser(), AgentHarness.CALL, true);
    in.closeSend();
    assertThat(in.receive().getBytesWritten()).isEqualTo(6);
    String text = terminalText(AgentHarness.drain(out));
    assertThat(text).startsWith("/dev/pts/0\r\n").contains("40 100\r\n").contains("got:hello\r\n");
    assertThat(h.await("t", "").getExitStatus()).isEqualTo(6);
    assertThat(h.readAll("t", "", OutputStream.STDERR)).isEmpty();
  }

  @Test
  void aTerminalStartsWithTheSpecsConsoleSizeForInitAndExec() throws Exception {
    Map<String, Object> spec = Json.parseObject(AgentHarness.spec("sh", "-c",
        "stty size; sleep 1; stty size; sleep 1000"));
    Json.object(spec, "process").put("consoleSize", Map.of("height", 33, "width", 111));
    io.goldilocks.api.agent.v1.Stdio tty = io.goldilocks.api.agent.v1.Stdio.newBuilder().setTerminal(true)
        .setStdout(true).build();
    h.create("t", Json.write(spec), tty);
    ClientStream<ReadOutputRequest, OutputChunk> out = h.openOutput("t", "", OutputStream.STDOUT);
    h.start("t");
    // at once (runc sets it) and still a moment later (runc copies our terminal's size over it once it runs)
    assertThat(terminalText(readUntil(out, "\n", 2))).isEqualTo("33 111\r\n33 111\r\n");

    Map<String, Object> process = AgentHarness.process("sh", "-c", "stty size");
    process.put("consoleSize", Map.of("height", 7, "width", 42));
    h.call("ExecProcess", io.goldilocks.api.agent.v1.ExecProcessRequest.newBuilder().setContainerId("t")
        .setExecId("e").setProcess(ByteString.copyFromUtf8(Json.write(process))).setStdio(tty).build(),
        io.goldilocks.api.agent.v1.ExecProcessResponse.parser());
    assertThat(terminalText(h.readAll("t", "e", OutputStream.STDOUT))).isEqualTo("7 42\r\n");
    assertThat(h.await("t", "e").getExitStatus()).isZero();
  }

  @Test
  void aMalformedConsoleSizeIsRefused() throws Exception {
    Map<String, Object> spec = Json.parseObject(AgentHarness.spec("true"));
    Json.object(spec, "process").put("consoleSize", Map.of("height", -1, "width", 80));
    assertThatThrownBy(() -> h.create("t", Json.write(spec), io.goldilocks.api.agent.v1.Stdio.newBuilder()
        .setTerminal(true).setStdout(true).build()))
        .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT));
  }

  /** Reads output chunks until the text holds {@code count} times {@code end} and ends with it. */
  private static String readUntil(ClientStream<ReadOutputRequest, OutputChunk> out, String end, int count)
      throws Exception {
    StringBuilder text = new StringBuilder();
    while (!text.toString().endsWith(end) || text.toString().split(end, -1).length - 1 < count) {
      OutputChunk c = out.receive();
      assertThat(c).as("output so far: %s", text).isNotNull();
      text.append(c.getData().toStringUtf8());
    }
    return text.toString();
  }

  @Test
  void twentyConcurrentExecsEachGetTheirOutputAndStatus() throws Exception {
    h.run("c", false, "sleep", "1000");
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        int n = i;
        results.add(pool.submit(() -> {
          h.exec("c", "e" + n, false, "sh", "-c", "echo exec-" + n + "; exit " + n);
          String out = new String(h.readAll("c", "e" + n, OutputStream.STDOUT), StandardCharsets.UTF_8);
          return out + "/" + h.await("c", "e" + n).getExitStatus();
        }));
      }
      for (int i = 0; i < 20; i++) {
        assertThat(results.get(i).get()).isEqualTo("exec-" + i + "\n/" + i);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void sixtyFourMebibytesOfOutputArriveIntact() throws Exception {
    long size = 64L << 20;
    h.run("big", false, "sh", "-c", "yes 0123456789abcdefghijklmnopqrstuvwxyz | head -c " + size);
    MessageDigest received = MessageDigest.getInstance("SHA-256");
    long total = 0;
    ClientStream<ReadOutputRequest, OutputChunk> out = h.openOutput("big", "", OutputStream.STDOUT);
    for (OutputChunk c = out.receive(); c != null; c = out.receive()) {
      assertThat(c.getData().size()).isBetween(1, 64 * 1024);
      received.update(c.getData().asReadOnlyByteBuffer());
      total += c.getData().size();
    }
    MessageDigest expected = MessageDigest.getInstance("SHA-256");
    byte[] line = "0123456789abcdefghijklmnopqrstuvwxyz\n".getBytes(StandardCharsets.US_ASCII);
    for (long left = size; left > 0; left -= line.length) {
      expected.update(line, 0, (int) Math.min(line.length, left));
    }
    assertThat(total).isEqualTo(size);
    assertThat(received.digest()).isEqualTo(expected.digest());
    assertThat(h.await("big", "").getExitStatus()).isEqualTo(0);
  }

  @Test
  void listPidsNamesInitAndExecs() throws Exception {
    int init = h.run("c", false, "sleep", "1000");
    int exec = h.exec("c", "e1", false, "sleep", "1000");
    ListPidsResponse pids = h.call("ListPids", ContainerRequest.newBuilder().setContainerId("c").build(),
        ListPidsResponse.parser());
    assertThat(pids.getPidsList()).contains(ProcessPid.newBuilder().setPid(init).build(),
        ProcessPid.newBuilder().setPid(exec).setExecId("e1").build());
  }

  @Test
  void pausedContainerIsFrozenAndRefusesExecsUntilResumed() throws Exception {
    h.run("c", false, "sleep", "1000");
    h.containerCall("PauseContainer", "c");
    assertThat(freezerState()).isEqualTo("FROZEN");
    assertThatThrownBy(() -> h.exec("c", "e1", false, "true"))
        .satisfies(e -> assertThat(((TtrpcException) e).code()).isEqualTo(Code.FAILED_PRECONDITION));
    assertThatThrownBy(() -> h.containerCall("PauseContainer", "c"))
        .satisfies(e -> assertThat(((TtrpcException) e).code()).isEqualTo(Code.FAILED_PRECONDITION));
    h.containerCall("ResumeContainer", "c");
    assertThat(freezerState()).isEqualTo("THAWED");
    h.exec("c", "e1", false, "true");
    assertThat(h.await("c", "e1").getExitStatus()).isEqualTo(0);
    h.containerCall("PauseContainer", "c");
    h.remove("c", true); // a frozen container dies once thawed: remove must not hang on it
    assertThat(h.runcRoot().resolve("c")).doesNotExist();
  }

  /** The container's freezer state as the kernel sees it (cgroup v1 freezer or v2 cgroup.freeze). */
  private String freezerState() throws Exception {
    Path v1 = Path.of("/sys/fs/cgroup/freezer", h.cgroupParent, "c", "ctr", "freezer.state");
    if (Files.isDirectory(Path.of("/sys/fs/cgroup/freezer"))) {
      return Files.readString(v1).strip();
    }
    String v2 = Files.readString(Path.of("/sys/fs/cgroup", h.cgroupParent, "c", "ctr", "cgroup.freeze")).strip();
    return v2.equals("1") ? "FROZEN" : "THAWED";
  }

  @Test
  void killAllEndsEveryProcessAndExitEventsComeExecFirst() throws Exception {
    ClientStream<EventsRequest, Event> events = h.client.stream(Agent.SERVICE, "Events",
        EventsRequest.getDefaultInstance(), Event.parser(), AgentHarness.CALL, false);
    h.run("c", false, "sh", "-c", "sleep 1000 & sleep 1000 & wait");
    for (int i = 0; i < 5; i++) {
      h.exec("c", "e" + i, false, "sleep", "1000");
    }
    h.signal("c", "", 9, true);
    assertThat(h.await("c", "").getExitStatus()).isEqualTo(137);
    assertThat(h.await("c", "e0").getExitStatus()).isEqualTo(137);
    List<Event> seen = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      seen.add(events.receive(Duration.ofSeconds(30)));
    }
    for (int i = 0; i < 5; i++) {
      assertThat(seen.get(i).getExited().getExecId()).startsWith("e");
      assertThat(seen.get(i).getExited().getExitStatus()).isEqualTo(137);
    }
    assertThat(seen.get(5).getExited().getExecId()).isEmpty();
    assertThat(seen.get(5).getExited().getExitStatus()).isEqualTo(137);
    for (int i = 1; i < 6; i++) {
      assertThat(seen.get(i).getSequence()).isEqualTo(seen.get(i - 1).getSequence() + 1);
    }
    events.close();
  }

  @Test
  void anOomKillInsideARunningContainerIsReported() throws Exception {
    ClientStream<EventsRequest, Event> events = h.client.stream(Agent.SERVICE, "Events",
        EventsRequest.getDefaultInstance(), Event.parser(), AgentHarness.CALL, false);
    java.util.Map<String, Object> spec = io.goldilocks.agent.json.Json.parseObject(
        AgentHarness.spec("sh", "-c", "sh -c \"x=\\$(head -c 200000000 /dev/zero | tr '\\\\0' a)\"; sleep 3; exit 9"));
    long limit = 16L << 20;
    io.goldilocks.agent.json.Json.object(spec, "linux").put("resources",
        java.util.Map.of("memory", java.util.Map.of("limit", limit, "swap", limit)));
    h.create("oom", io.goldilocks.agent.json.Json.write(spec), AgentHarness.stdio(false));
    h.start("oom");
    assertThat(h.await("oom", "").getExitStatus()).isEqualTo(9); // the hog was killed, its parent lived on
    List<Event> seen = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      seen.add(events.receive(Duration.ofSeconds(30)));
    }
    assertThat(seen).anySatisfy(e -> assertThat(e.getOom().getContainerId()).isEqualTo("oom"));
    assertThat(seen).anySatisfy(e -> assertThat(e.getExited().getExitStatus()).isEqualTo(9));
    events.close();
  }

  @Test
  void killingAContainerThatNeverStartedStopsItWith128PlusSignal() throws Exception {
    ClientStream<EventsRequest, Event> events = h.client.stream(Agent.SERVICE, "Events",
        EventsRequest.getDefaultInstance(), Event.parser(), AgentHarness.CALL, false);
    h.create("c", AgentHarness.spec("true"), AgentHarness.stdio(false));
    h.signal("c", "", 9, false);
    assertThat(h.await("c", "").getExitStatus()).isEqualTo(137);
    Event e = events.receive(Duration.ofSeconds(30));
    assertThat(e.getExited().getContainerId()).isEqualTo("c");
    assertThat(e.getExited().getPid()).isZero();
    assertThatThrownBy(() -> h.start("c"))
        .satisfies(t -> assertThat(((TtrpcException) t).code()).isEqualTo(Code.FAILED_PRECONDITION));
    h.remove("c", false);
    events.close();
  }

  @Test
  void statsComeFromCgroupV2OrAreRefusedWithoutIt() throws Exception {
    h.run("c", false, "sleep", "1000");
    ContainerRequest req = ContainerRequest.newBuilder().setContainerId("c").build();
    if (Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))) {
      io.goldilocks.api.agent.v1.StatsResponse s = h.call("Stats", req,
          io.goldilocks.api.agent.v1.StatsResponse.parser());
      assertThat(s.getPids().getCurrent()).isEqualTo(1);
      assertThat(s.getMemory().getUsage()).isPositive();
      assertThat(s.getCpu().getUsageUsec()).isPositive();
    } else {
      assertThatThrownBy(() -> h.call("Stats", req, io.goldilocks.api.agent.v1.StatsResponse.parser()))
          .satisfies(t -> assertThat(((TtrpcException) t).code()).isEqualTo(Code.FAILED_PRECONDITION));
    }
  }

  @Test
  void anExecCanHaveATerminal() throws Exception {
    h.run("c", false, "sleep", "1000");
    h.call("ExecProcess", io.goldilocks.api.agent.v1.ExecProcessRequest.newBuilder().setContainerId("c")
        .setExecId("tty").setProcess(ByteString.copyFromUtf8(io.goldilocks.agent.json.Json.write(
            AgentHarness.process("sh", "-c", "tty; exit 2"))))
        .setStdio(io.goldilocks.api.agent.v1.Stdio.newBuilder().setTerminal(true).setStdout(true)).build(),
        io.goldilocks.api.agent.v1.ExecProcessResponse.parser());
    assertThat(terminalText(h.readAll("c", "tty", OutputStream.STDOUT))).isEqualTo("/dev/pts/0\r\n");
    assertThat(h.await("c", "tty").getExitStatus()).isEqualTo(2);
  }

  @Test
  void updateChangesTheMemoryLimitAndRefusesMalformedResources() throws Exception {
    h.run("c", false, "sleep", "1000");
    long limit = 48L << 20;
    h.call("UpdateContainer", io.goldilocks.api.agent.v1.UpdateContainerRequest.newBuilder().setContainerId("c")
        .setResources(ByteString.copyFromUtf8("{\"memory\":{\"limit\":" + limit + ",\"swap\":" + limit + "}}"))
        .build(), Empty.parser());
    Path v1 = Path.of("/sys/fs/cgroup/memory", h.cgroupParent, "c", "ctr", "memory.limit_in_bytes");
    Path v2 = Path.of("/sys/fs/cgroup", h.cgroupParent, "c", "ctr", "memory.max");
    assertThat(Files.readString(Files.exists(v1) ? v1 : v2).strip()).isEqualTo(Long.toString(limit));
    assertThatThrownBy(() -> h.call("UpdateContainer", io.goldilocks.api.agent.v1.UpdateContainerRequest
        .newBuilder().setContainerId("c").setResources(ByteString.copyFromUtf8("{\"memory\":")).build(),
        Empty.parser()))
        .satisfies(t -> assertThat(((TtrpcException) t).code()).isEqualTo(Code.INVALID_ARGUMENT));
  }

  @Test
  void removeNeedsForceWhileRunningAndForgetsEverything() throws Exception {
    h.run("c", false, "sleep", "1000");
    assertThatThrownBy(() -> h.remove("c", false))
        .satisfies(e -> assertThat(((TtrpcException) e).code()).isEqualTo(Code.FAILED_PRECONDITION));
    h.remove("c", true);
    assertThat(h.runcRoot().resolve("c")).doesNotExist();
    assertThat(h.agent.config().stateDir().resolve("bundles/c")).doesNotExist();
    assertThatThrownBy(() -> h.await("c", ""))
        .satisfies(e -> assertThat(((TtrpcException) e).code()).isEqualTo(Code.NOT_FOUND));
    // the id is free again
    h.run("c", false, "true");
    assertThat(h.await("c", "").getExitStatus()).isEqualTo(0);
    h.remove("c", false);
  }

  @Test
  void aProcessThatCannotStartFailsStartAndCanBeRemoved() throws Exception {
    h.create("c", AgentHarness.spec("/no/such/binary"), AgentHarness.stdio(false));
    assertThatThrownBy(() -> h.start("c"))
        .satisfies(e -> assertThat(((TtrpcException) e).code()).isEqualTo(Code.FAILED_PRECONDITION))
        .hasMessageContaining("/no/such/binary");
    h.remove("c", false);
  }

  @Test
  void outOfBoundInputIsRejected() throws Exception {
    assertThatThrownBy(() -> h.create("bad id", AgentHarness.spec("true"), AgentHarness.stdio(false)))
        .satisfies(e -> assertThat(((TtrpcException) e).code()).isEqualTo(Code.INVALID_ARGUMENT));
    assertThatThrownBy(() -> h.create("x".repeat(77), AgentHarness.spec("true"), AgentHarness.stdio(false)))
        .satisfies(e -> assertThat(((TtrpcException) e).code()).isEqualTo(Code.RESOURCE_EXHAUSTED));
    String hugeSpec = AgentHarness.spec("echo", "x".repeat(1 << 20));
    assertThatThrownBy(() -> h.create("c", hugeSpec, AgentHarness.stdio(false)))
        .satisfies(e -> assertThat(((TtrpcException) e).code()).isEqualTo(Code.RESOURCE_EXHAUSTED));
    assertThatThrownBy(() -> h.call("CreateContainer", io.goldilocks.api.agent.v1.CreateContainerRequest
        .newBuilder().setContainerId("c").setOciSpec(ByteString.copyFromUtf8(AgentHarness.spec("true")))
        .setRootfsPath("relative/rootfs").build(), Empty.parser()))
        .satisfies(e -> assertThat(((TtrpcException) e).code()).isEqualTo(Code.INVALID_ARGUMENT));
    h.run("c", true, "cat");
    assertThatThrownBy(() -> h.signal("c", "", 0, false))
        .satisfies(e -> assertThat(((TtrpcException) e).code()).isEqualTo(Code.INVALID_ARGUMENT));
    ClientStream<StdinChunk, WriteStdinResponse> in = h.client.stream(Agent.SERVICE, "WriteStdin",
        StdinChunk.newBuilder().setContainerId("c").setData(ByteString.copyFrom(new byte[64 * 1024 + 1]))
            .build(), WriteStdinResponse.parser(), AgentHarness.CALL, true);
    in.closeSend();
    assertThatThrownBy(in::receive)
        .satisfies(e -> assertThat(((TtrpcException) e).code()).isEqualTo(Code.RESOURCE_EXHAUSTED));
    assertThatThrownBy(() -> h.call("WaitProcess", io.goldilocks.api.agent.v1.WaitProcessRequest.newBuilder()
        .setContainerId("c").setExecId("../x").build(), WaitProcessResponse.parser()))
        .satisfies(e -> assertThat(((TtrpcException) e).code()).isEqualTo(Code.INVALID_ARGUMENT));
  }

  /**
   * Terminal output as a terminal shows it. Every line must still end in CR LF (a bare LF fails), but a doubled CR
   * before the LF is folded: runc's foreground console clears ONLCR on the container's pty only after the process may
   * already have written, and now and then a line comes through as CR CR LF. A terminal renders both the same; the
   * race is a known issue (see the closing notes), not what these tests are about.
   */
  private static String terminalText(byte[] output) {
    return terminalText(new String(output, StandardCharsets.UTF_8));
  }

  private static String terminalText(String output) {
    return output.replaceAll("\r+\n", "\r\n");
  }
}
