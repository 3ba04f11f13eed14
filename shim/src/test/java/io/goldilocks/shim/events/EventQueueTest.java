package io.goldilocks.shim.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventQueueTest {
  private final List<TaskEvent> sent = new CopyOnWriteArrayList<>();

  @Test
  void sendsInOrderAndRetriesAFailedEventBeforeTheNextOne() {
    AtomicInteger failuresLeft = new AtomicInteger(2);
    EventQueue queue = new EventQueue((event, at) -> {
      if (event instanceof TaskEvent.Started && failuresLeft.getAndDecrement() > 0) {
        throw new java.io.IOException("containerd restarting");
      }
      sent.add(event);
    }, 16, 5, Duration.ofMillis(1), Clock.systemUTC());

    queue.publish(new TaskEvent.Started("c1", 1));
    queue.publish(new TaskEvent.Paused("c1"));
    queue.close(Duration.ofSeconds(5));

    assertThat(sent).extracting(TaskEvent::topic).containsExactly("/tasks/start", "/tasks/paused");
  }

  @Test
  void dropsAnEventAfterMaxAttemptsAndGoesOn() {
    AtomicInteger attempts = new AtomicInteger();
    EventQueue queue = new EventQueue((event, at) -> {
      if (event instanceof TaskEvent.Started) {
        attempts.incrementAndGet();
        throw new java.io.IOException("refused");
      }
      sent.add(event);
    }, 16, 3, Duration.ofMillis(1), Clock.systemUTC());

    queue.publish(new TaskEvent.Started("c1", 1));
    queue.publish(new TaskEvent.Resumed("c1"));
    queue.close(Duration.ofSeconds(5));

    assertThat(attempts).hasValue(3);
    assertThat(sent).extracting(TaskEvent::topic).containsExactly("/tasks/resumed");
  }

  @Test
  void closeDrainsWhatIsQueuedAndRefusesMore() {
    EventQueue queue = new EventQueue((event, at) -> {
      Thread.sleep(5);
      sent.add(event);
    }, 2048, 5, Duration.ofMillis(1), Clock.systemUTC());
    for (int i = 0; i < 50; i++) {
      queue.publish(new TaskEvent.Started("c" + i, i));
    }
    queue.close(Duration.ofSeconds(10));
    queue.publish(new TaskEvent.Started("late", 1));

    assertThat(sent).hasSize(50);
    assertThat(sent.get(49).containerId()).isEqualTo("c49");
  }
}
