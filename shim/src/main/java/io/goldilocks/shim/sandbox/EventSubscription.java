package io.goldilocks.shim.sandbox;

/** A listener registration from {@link Sandbox#subscribe}; closing it stops delivery. Thread-safe, idempotent. */
public interface EventSubscription extends AutoCloseable {
  @Override
  void close();
}
