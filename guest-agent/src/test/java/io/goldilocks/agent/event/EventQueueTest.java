package io.goldilocks.agent.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldilocks.agent.process.ExitStatus;
import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventQueueTest {
  private static AgentEvent exit(String id) {
    return new AgentEvent.ProcessExited(id, "", 1, new ExitStatus(0, Instant.EPOCH));
  }

  @Test
  void eventsWaitForASubscriberInOrderWithSequenceNumbers() throws Exception {
    EventQueue q = new EventQueue(10);
    q.publish(exit("a"));
    q.publish(new AgentEvent.OomKilled("b"));
    EventQueue.Subscription s = q.subscribe();
    EventQueue.Sequenced first = s.next(0);
    assertThat(first.sequence()).isEqualTo(1);
    assertThat(first.event().containerId()).isEqualTo("a");
    assertThat(s.next(0)).isSameAs(first); // not acknowledged: offered again
    s.acknowledge(first);
    assertThat(s.next(0).sequence()).isEqualTo(2);
  }

  @Test
  void overflowDropsTheOldestAndTheGapShows() throws Exception {
    EventQueue q = new EventQueue(2);
    q.publish(exit("a"));
    q.publish(exit("b"));
    q.publish(exit("c"));
    assertThat(q.dropped()).isEqualTo(1);
    EventQueue.Subscription s = q.subscribe();
    assertThat(s.next(0).sequence()).isEqualTo(2);
  }

  @Test
  void aNewSubscriptionCancelsTheOldOneAndInheritsUndelivered() throws Exception {
    EventQueue q = new EventQueue(10);
    EventQueue.Subscription old = q.subscribe();
    q.publish(exit("a"));
    EventQueue.Sequenced e = old.next(0); // sent on a dying connection, never acknowledged
    EventQueue.Subscription fresh = q.subscribe();
    assertThatThrownBy(() -> old.next(0))
        .satisfies(t -> assertThat(((TtrpcException) t).code()).isEqualTo(Code.CANCELLED));
    assertThat(fresh.next(0)).isSameAs(e);
    assertThat(fresh.next(0)).isNotNull();
    fresh.acknowledge(e);
    assertThat(fresh.next(10)).isNull();
  }
}
