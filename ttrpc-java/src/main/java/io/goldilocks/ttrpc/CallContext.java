package io.goldilocks.ttrpc;

import java.time.Instant;
import java.util.Optional;

/** What a server handler knows about its call. Implementations are thread-safe. */
public interface CallContext {
  /** The metadata the client sent. */
  Metadata metadata();

  /** When the client stops waiting: now + the request's {@code timeout_nano}; empty when it sent none. */
  Optional<Instant> deadline();

  /** True once the deadline passed, the connection is gone, or the server closed it: stop working, nobody listens. */
  boolean isCancelled();
}
