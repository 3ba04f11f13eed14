package io.goldilocks.shim.events;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records published events, in order, for tests. Thread-safe. */
public final class RecordingEventPublisher implements EventPublisher {
  private final List<TaskEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public void publish(TaskEvent event) {
    events.add(event);
  }

  public List<TaskEvent> events() {
    return List.copyOf(events);
  }

  /** The topics in publication order. */
  public List<String> topics() {
    return events.stream().map(TaskEvent::topic).toList();
  }

  public <T extends TaskEvent> List<T> ofType(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
