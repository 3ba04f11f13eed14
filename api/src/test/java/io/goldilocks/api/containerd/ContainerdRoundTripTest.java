package io.goldilocks.api.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import io.goldilocks.api.containerd.cgroups.v1.CgroupsV1MetricsProto;
import io.goldilocks.api.containerd.cgroups.v2.CgroupsV2MetricsProto;
import io.goldilocks.api.containerd.events.TaskEventsProto;
import io.goldilocks.api.containerd.events.TaskExit;
import io.goldilocks.api.containerd.runc.v1.RuncOptionsProto;
import io.goldilocks.api.containerd.runtimeoptions.v1.RuntimeOptionsProto;
import io.goldilocks.api.containerd.services.events.ttrpc.v1.EventsTtrpcProto;
import io.goldilocks.api.containerd.task.v2.ShimProto;
import io.goldilocks.api.containerd.types.MountProto;
import io.goldilocks.api.containerd.types.task.TaskTypesProto;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every containerd message survives encode/decode with every field set, and keeps containerd's full name. */
class ContainerdRoundTripTest {
  private static final List<FileDescriptor> FILES = List.of(
      ShimProto.getDescriptor(), MountProto.getDescriptor(), TaskTypesProto.getDescriptor(),
      TaskEventsProto.getDescriptor(), EventsTtrpcProto.getDescriptor(), RuntimeOptionsProto.getDescriptor(),
      RuncOptionsProto.getDescriptor(), CgroupsV1MetricsProto.getDescriptor(), CgroupsV2MetricsProto.getDescriptor());

  static Stream<Descriptor> messages() {
    return FILES.stream().flatMap(f -> f.getMessageTypes().stream());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messages")
  void fullyPopulatedMessageRoundTrips(Descriptor type) throws Exception {
    Message original = populate(type, 0);
    Message generated = generatedDefault(type);

    Message decoded = generated.getParserForType().parseFrom(original.toByteArray());

    assertThat(decoded.getAllFields()).hasSameSizeAs(type.getFields());
    assertThat(decoded.toByteString()).isEqualTo(original.toByteString());
    assertThat(decoded.getUnknownFields().asMap()).isEmpty();
  }

  @Test
  void typeUrlsAreTheNamesContainerdRegisters() {
    assertThat(TaskExit.getDescriptor().getFullName()).isEqualTo("containerd.events.TaskExit");
    assertThat(io.goldilocks.api.containerd.cgroups.v1.Metrics.getDescriptor().getFullName())
        .isEqualTo("io.containerd.cgroups.v1.Metrics");
    assertThat(io.goldilocks.api.containerd.cgroups.v2.Metrics.getDescriptor().getFullName())
        .isEqualTo("io.containerd.cgroups.v2.Metrics");
    assertThat(io.goldilocks.api.containerd.runtimeoptions.v1.Options.getDescriptor().getFullName())
        .isEqualTo("runtimeoptions.v1.Options");
    assertThat(io.goldilocks.api.containerd.runc.v1.Options.getDescriptor().getFullName())
        .isEqualTo("containerd.runc.v1.Options");
    assertThat(io.goldilocks.api.containerd.types.Mount.getDescriptor().getFullName())
        .isEqualTo("containerd.types.Mount");
    assertThat(io.goldilocks.api.containerd.types.task.Status.getDescriptor().getFullName())
        .isEqualTo("containerd.v1.types.Status");
  }

  @Test
  void everyTaskEventIsDefined() {
    assertThat(TaskEventsProto.getDescriptor().getMessageTypes()).extracting(Descriptor::getName)
        .contains("TaskCreate", "TaskStart", "TaskDelete", "TaskIO", "TaskExit", "TaskOOM", "TaskExecAdded",
            "TaskExecStarted", "TaskPaused", "TaskResumed", "TaskCheckpointed");
  }

  private static Message generatedDefault(Descriptor type) throws ReflectiveOperationException {
    FileDescriptor file = type.getFile();
    String className = file.getOptions().getJavaPackage() + "." + type.getName();
    return (Message) Class.forName(className).getMethod("getDefaultInstance").invoke(null);
  }

  /** A message with every field set to a distinct non-default value (nested messages to a small depth). */
  private static Message populate(Descriptor type, int depth) {
    DynamicMessage.Builder b = DynamicMessage.newBuilder(type);
    int n = 1;
    for (FieldDescriptor f : type.getFields()) {
      if (f.isMapField()) {
        Descriptor entry = f.getMessageType();
        b.addRepeatedField(f, DynamicMessage.newBuilder(entry)
            .setField(entry.findFieldByName("key"), "k" + n)
            .setField(entry.findFieldByName("value"), "v" + n).build());
      } else if (f.isRepeated()) {
        b.addRepeatedField(f, value(f, n, depth));
        b.addRepeatedField(f, value(f, n + 1, depth));
      } else {
        b.setField(f, value(f, n, depth));
      }
      n++;
    }
    return b.build();
  }

  private static Object value(FieldDescriptor f, int n, int depth) {
    return switch (f.getJavaType()) {
      case INT -> n * 1000 + 7;
      case LONG -> n * 1_000_000_007L;
      case BOOLEAN -> true;
      case STRING -> f.getName() + "-" + n;
      case BYTE_STRING -> ByteString.copyFromUtf8("bytes-" + n);
      case ENUM -> f.getEnumType().getValues().get(f.getEnumType().getValues().size() - 1);
      case MESSAGE -> messageValue(f, n, depth);
      default -> throw new IllegalArgumentException("unexpected field type " + f);
    };
  }

  private static Object messageValue(FieldDescriptor f, int n, int depth) {
    Descriptor type = f.getMessageType();
    if (type.getFullName().equals("google.protobuf.Any")) {
      return DynamicMessage.newBuilder(type)
          .setField(type.findFieldByName("type_url"), "containerd.events.TaskOOM")
          .setField(type.findFieldByName("value"), ByteString.copyFromUtf8("\n\u0003c" + n)).build();
    }
    return depth < 3 ? populate(type, depth + 1) : DynamicMessage.getDefaultInstance(type);
  }
}
