package io.goldilocks.api.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.goldilocks.api.containerd.services.events.ttrpc.v1.EventsTtrpcProto;
import io.goldilocks.api.containerd.task.v2.ShimProto;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * containerd calls a shim by "/containerd.task.v2.Task/Method" and decodes the reply by the method's output type, so
 * the service's full name and every method's input and output types must be exactly containerd's.
 */
class TaskServiceDescriptorTest {
  private static final String EMPTY = "google.protobuf.Empty";

  @Test
  void taskServiceHasEveryShimV2MethodWithContainerdTypes() {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("State", "StateRequest -> containerd.task.v2.StateResponse");
    expected.put("Create", "CreateTaskRequest -> containerd.task.v2.CreateTaskResponse");
    expected.put("Start", "StartRequest -> containerd.task.v2.StartResponse");
    expected.put("Delete", "DeleteRequest -> containerd.task.v2.DeleteResponse");
    expected.put("Pids", "PidsRequest -> containerd.task.v2.PidsResponse");
    expected.put("Pause", "PauseRequest -> " + EMPTY);
    expected.put("Resume", "ResumeRequest -> " + EMPTY);
    expected.put("Checkpoint", "CheckpointTaskRequest -> " + EMPTY);
    expected.put("Kill", "KillRequest -> " + EMPTY);
    expected.put("Exec", "ExecProcessRequest -> " + EMPTY);
    expected.put("ResizePty", "ResizePtyRequest -> " + EMPTY);
    expected.put("CloseIO", "CloseIORequest -> " + EMPTY);
    expected.put("Update", "UpdateTaskRequest -> " + EMPTY);
    expected.put("Wait", "WaitRequest -> containerd.task.v2.WaitResponse");
    expected.put("Stats", "StatsRequest -> containerd.task.v2.StatsResponse");
    expected.put("Connect", "ConnectRequest -> containerd.task.v2.ConnectResponse");
    expected.put("Shutdown", "ShutdownRequest -> " + EMPTY);

    ServiceDescriptor task = ShimProto.getDescriptor().findServiceByName("Task");
    assertThat(task.getFullName()).isEqualTo("containerd.task.v2.Task");
    Map<String, String> actual = task.getMethods().stream()
        .collect(Collectors.toMap(MethodDescriptor::getName, TaskServiceDescriptorTest::signature,
            (a, b) -> a, LinkedHashMap::new));
    Map<String, String> expectedFull = expected.entrySet().stream().collect(Collectors.toMap(
        Map.Entry::getKey, e -> "containerd.task.v2." + e.getValue(), (a, b) -> a, LinkedHashMap::new));
    assertThat(actual).containsExactlyInAnyOrderEntriesOf(expectedFull);
    assertThat(task.getMethods()).allSatisfy(m -> {
      assertThat(m.isClientStreaming()).as(m.getName()).isFalse();
      assertThat(m.isServerStreaming()).as(m.getName()).isFalse();
    });
  }

  @Test
  void eventsServiceForwardsAnEnvelope() {
    ServiceDescriptor events = EventsTtrpcProto.getDescriptor().findServiceByName("Events");
    assertThat(events.getFullName()).isEqualTo("containerd.services.events.ttrpc.v1.Events");
    assertThat(events.getMethods()).singleElement().satisfies(m -> {
      assertThat(m.getName()).isEqualTo("Forward");
      assertThat(signature(m))
          .isEqualTo("containerd.services.events.ttrpc.v1.ForwardRequest -> " + EMPTY);
      assertThat(m.getInputType().findFieldByNumber(1).getMessageType().getFullName())
          .isEqualTo("containerd.services.events.ttrpc.v1.Envelope");
    });
  }

  private static String signature(MethodDescriptor m) {
    return m.getInputType().getFullName() + " -> " + m.getOutputType().getFullName();
  }
}
