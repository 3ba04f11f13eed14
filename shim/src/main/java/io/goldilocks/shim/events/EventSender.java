package io.goldilocks.shim.events;

import java.time.Instant;

/** Delivers one event to containerd, once (the {@link EventQueue} retries). Used by one thread at a time. */
@FunctionalInterface
public interface EventSender {
  /** Sends {@code event}, stamped {@code at}; throws when it did not arrive. */
  void send(TaskEvent event, Instant at) throws Exception;
}
