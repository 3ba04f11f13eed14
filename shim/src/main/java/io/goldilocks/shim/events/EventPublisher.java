package io.goldilocks.shim.events;

/** Where task events go. Implementations are thread-safe. */
@FunctionalInterface
public interface EventPublisher {
  /** Hands one event on; never throws (delivery problems are the publisher's to log). */
  void publish(TaskEvent event);
}
