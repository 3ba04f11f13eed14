package io.goldilocks.shim.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldilocks.shim.sandbox.ProcessRef;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventOrderingTest {
  private final RecordingEventPublisher out = new RecordingEventPublisher();
  private final EventOrdering ordering = new EventOrdering(out);
  private final Instant now = Instant.parse("2026-12-04T21:00:00Z");

  private TaskEvent.Exited exit(String c, String exec, int code) {
    return new TaskEvent.Exited(c, exec, 7, code, now);
  }

  @Test
  void exitDuringStartWaitsForTheStartEvent() {
    ordering.beginStart(ProcessRef.init("c1"));
    ordering.publish(exit("c1", "", 0));
    assertThat(out.topics()).isEmpty();

    ordering.publish(new TaskEvent.Started("c1", 7));

    assertThat(out.topics()).containsExactly("/tasks/start", "/tasks/exit");
  }

  @Test
  void execExitDuringStartWaitsForExecStarted() {
    ordering.beginStart(ProcessRef.exec("c1", "e1"));
    ordering.publish(exit("c1", "e1", 3));
    ordering.publish(new TaskEvent.ExecStarted("c1", "e1", 8));

    assertThat(out.topics()).containsExactly("/tasks/exec-started", "/tasks/exit");
  }

  @Test
  void failedStartReleasesTheHeldExit() {
    ordering.beginStart(ProcessRef.init("c1"));
    ordering.publish(exit("c1", "", 137));
    ordering.startFailed(ProcessRef.init("c1"));

    assertThat(out.topics()).containsExactly("/tasks/exit");
  }

  @Test
  void initExitWaitsForEveryStartedExecToExit() {
    ordering.publish(new TaskEvent.Started("c1", 7));
    ordering.publish(new TaskEvent.ExecStarted("c1", "e1", 8));
    ordering.publish(new TaskEvent.ExecStarted("c1", "e2", 9));

    ordering.publish(exit("c1", "", 137));
    ordering.publish(exit("c1", "e1", 137));
    assertThat(out.ofType(TaskEvent.Exited.class)).extracting(TaskEvent.Exited::execId).containsExactly("e1");

    ordering.publish(exit("c1", "e2", 137));
    assertThat(out.ofType(TaskEvent.Exited.class)).extracting(TaskEvent.Exited::execId)
        .containsExactly("e1", "e2", "");
  }

  @Test
  void anExecThatIsDeletedWithoutAnExitStopsHoldingTheInit() {
    ordering.publish(new TaskEvent.Started("c1", 7));
    ordering.publish(new TaskEvent.ExecStarted("c1", "e1", 8));
    ordering.publish(exit("c1", "", 0));
    assertThat(ordering.held()).hasSize(1);

    ordering.forgetExec(ProcessRef.exec("c1", "e1"));

    assertThat(out.topics()).containsExactly("/tasks/start", "/tasks/exec-started", "/tasks/exit");
    assertThat(ordering.held()).isEmpty();
  }

  @Test
  void otherContainersAndOtherEventsPassStraightThrough() {
    ordering.beginStart(ProcessRef.init("c1"));
    ordering.publish(exit("c1", "", 0));
    ordering.publish(new TaskEvent.Started("c2", 5));
    ordering.publish(exit("c2", "", 1));
    ordering.publish(new TaskEvent.Paused("c3"));

    assertThat(out.events()).extracting(TaskEvent::containerId).containsExactly("c2", "c2", "c3");
  }
}
