package io.goldilocks.api.containerd;

import static io.goldilocks.api.containerd.HandWire.any;
import static io.goldilocks.api.containerd.HandWire.message;
import static io.goldilocks.api.containerd.HandWire.timestamp;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.goldilocks.api.containerd.cgroups.v1.Metrics;
import io.goldilocks.api.containerd.events.TaskExit;
import io.goldilocks.api.containerd.runtimeoptions.v1.Options;
import io.goldilocks.api.containerd.services.events.ttrpc.v1.ForwardRequest;
import io.goldilocks.api.containerd.task.v2.CreateTaskRequest;
import io.goldilocks.api.containerd.task.v2.DeleteResponse;
import io.goldilocks.api.containerd.task.v2.ExecProcessRequest;
import io.goldilocks.api.containerd.task.v2.KillRequest;
import io.goldilocks.api.containerd.task.v2.StateResponse;
import io.goldilocks.api.containerd.types.task.Status;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Field numbers proven against bytes built by hand ({@link HandWire}) from containerd's .proto definitions: if one of
 * our numbers or types drifted from containerd's, the value would land in the wrong field or in the unknown fields.
 */
class ContainerdWireFormatTest {

  @Test
  void deleteResponseMatchesTheBytesTheDeleteBinaryWrites() throws Exception {
    // pid 8024, exit 137 as the runc shim's "delete" printed them; spelled out byte by byte:
    // 08 = field 1 varint, d8 3e = 8024; 10 = field 2 varint, 89 01 = 137;
    // 1a = field 3 length-delimited, 06 bytes: 08 = seconds, 80 e2 cf aa 06 = 1700000000.
    byte[] wire = HexFormat.of().parseHex("08d83e1089011a0608" + "80e2cfaa06");
    DeleteResponse parsed = DeleteResponse.parseFrom(wire);

    assertThat(parsed.getPid()).isEqualTo(8024);
    assertThat(parsed.getExitStatus()).isEqualTo(137);
    assertThat(parsed.getExitedAt().getSeconds()).isEqualTo(1_700_000_000L);
    assertThat(parsed.getUnknownFields().asMap()).isEmpty();
    assertThat(parsed.toByteArray()).isEqualTo(wire);
  }

  @Test
  void taskExitEventDecodesFromContainerdFieldNumbers() throws Exception {
    byte[] wire = message()
        .string(1, "ctr-1").string(2, "exec-7").varint(3, 4321).varint(4, 42)
        .message(5, timestamp(1_700_000_000L, 123)).toBytes();

    TaskExit exit = TaskExit.parseFrom(wire);

    assertThat(exit.getContainerId()).isEqualTo("ctr-1");
    assertThat(exit.getId()).isEqualTo("exec-7");
    assertThat(exit.getPid()).isEqualTo(4321);
    assertThat(exit.getExitStatus()).isEqualTo(42);
    assertThat(exit.getExitedAt()).isEqualTo(Timestamp.newBuilder().setSeconds(1_700_000_000L).setNanos(123).build());
    assertThat(exit.getUnknownFields().asMap()).isEmpty();
  }

  @Test
  void forwardRequestCarriesAnEnvelopeWithAnEventAny() throws Exception {
    HandWire exit = message().string(1, "c9").varint(4, 42);
    byte[] wire = message().message(1, message()
        .message(1, timestamp(1_800_000_000L, 0))
        .string(2, "goldilocks-it")
        .string(3, "/tasks/exit")
        .message(4, any("containerd.events.TaskExit", exit))).toBytes();

    ForwardRequest forward = ForwardRequest.parseFrom(wire);

    assertThat(forward.getEnvelope().getTimestamp().getSeconds()).isEqualTo(1_800_000_000L);
    assertThat(forward.getEnvelope().getNamespace()).isEqualTo("goldilocks-it");
    assertThat(forward.getEnvelope().getTopic()).isEqualTo("/tasks/exit");
    Any event = forward.getEnvelope().getEvent();
    assertThat(event.getTypeUrl()).isEqualTo("containerd.events.TaskExit");
    TaskExit decoded = TaskExit.parseFrom(event.getValue());
    assertThat(decoded.getContainerId()).isEqualTo("c9");
    assertThat(decoded.getExitStatus()).isEqualTo(42);
  }

  @Test
  void createTaskRequestReadsMountsAndRuntimeOptions() throws Exception {
    byte[] wire = message()
        .string(1, "c1").string(2, "/run/bundle/c1")
        .message(3, message().string(1, "overlay").string(2, "overlay")
            .string(4, "lowerdir=/l").string(4, "upperdir=/u"))
        .varint(4, 1).string(5, "/fifo/in").string(6, "/fifo/out").string(7, "/fifo/err")
        .message(10, any("runtimeoptions.v1.Options", message().string(2, "/etc/goldilocks.toml")))
        .toBytes();

    CreateTaskRequest create = CreateTaskRequest.parseFrom(wire);

    assertThat(create.getId()).isEqualTo("c1");
    assertThat(create.getBundle()).isEqualTo("/run/bundle/c1");
    assertThat(create.getRootfsList()).singleElement().satisfies(m -> {
      assertThat(m.getType()).isEqualTo("overlay");
      assertThat(m.getSource()).isEqualTo("overlay");
      assertThat(m.getOptionsList()).containsExactly("lowerdir=/l", "upperdir=/u");
    });
    assertThat(create.getTerminal()).isTrue();
    assertThat(create.getStdin()).isEqualTo("/fifo/in");
    assertThat(create.getStdout()).isEqualTo("/fifo/out");
    assertThat(create.getStderr()).isEqualTo("/fifo/err");
    assertThat(create.getOptions().getTypeUrl()).isEqualTo("runtimeoptions.v1.Options");
    assertThat(Options.parseFrom(create.getOptions().getValue()).getConfigPath()).isEqualTo("/etc/goldilocks.toml");
    assertThat(create.getUnknownFields().asMap()).isEmpty();
  }

  @Test
  void stateResponseEnumAndExitFields() throws InvalidProtocolBufferException {
    byte[] wire = message().string(1, "c1").varint(3, 77).varint(4, 3).varint(8, 1).varint(9, 137)
        .message(10, timestamp(5, 6)).toBytes();

    StateResponse state = StateResponse.parseFrom(wire);

    assertThat(state.getPid()).isEqualTo(77);
    assertThat(state.getStatus()).isEqualTo(Status.STOPPED);
    assertThat(state.getTerminal()).isTrue();
    assertThat(state.getExitStatus()).isEqualTo(137);
    assertThat(state.getExitedAt().getNanos()).isEqualTo(6);
  }

  @Test
  void killAndExecRequests() throws InvalidProtocolBufferException {
    KillRequest kill = KillRequest.parseFrom(
        message().string(1, "c1").string(2, "e1").varint(3, 9).varint(4, 1).toBytes());
    assertThat(kill.getSignal()).isEqualTo(9);
    assertThat(kill.getAll()).isTrue();
    assertThat(kill.getExecId()).isEqualTo("e1");

    ExecProcessRequest exec = ExecProcessRequest.parseFrom(message().string(1, "c1").string(2, "e1")
        .varint(3, 1).message(7, any("types.containerd.io/opencontainers/runtime-spec/1/Process",
            message().string(1, "{}"))).toBytes());
    assertThat(exec.getTerminal()).isTrue();
    assertThat(exec.getSpec().getTypeUrl()).endsWith("runtime-spec/1/Process");
  }

  @Test
  void cgroupsV1MetricsUseTwoByteTagsForHighFieldNumbers() throws InvalidProtocolBufferException {
    // MemoryStat.usage is field 33: its tag (33 << 3 | 2 = 266) needs two varint bytes, 8a 02.
    HandWire memory = message().varint(1, 4096).message(33, message().varint(1, 1 << 20).varint(2, 4096));
    byte[] wire = message().message(2, message().varint(1, 3)).message(4, memory).toBytes();
    assertThat(HexFormat.of().formatHex(memory.toBytes())).startsWith("0880208a02");

    Metrics metrics = Metrics.parseFrom(wire);

    assertThat(metrics.getPids().getCurrent()).isEqualTo(3);
    assertThat(metrics.getMemory().getCache()).isEqualTo(4096);
    assertThat(metrics.getMemory().getUsage().getLimit()).isEqualTo(1 << 20);
    assertThat(metrics.getMemory().getUsage().getUsage()).isEqualTo(4096);
  }

  @Test
  void cgroupsV2MetricsMemoryUsageIsField32() throws InvalidProtocolBufferException {
    byte[] wire = message().message(4, message().varint(1, 10).varint(32, 2048).varint(33, 8192)).toBytes();

    io.goldilocks.api.containerd.cgroups.v2.Metrics metrics =
        io.goldilocks.api.containerd.cgroups.v2.Metrics.parseFrom(wire);

    assertThat(metrics.getMemory().getAnon()).isEqualTo(10);
    assertThat(metrics.getMemory().getUsage()).isEqualTo(2048);
    assertThat(metrics.getMemory().getUsageLimit()).isEqualTo(8192);
  }
}
