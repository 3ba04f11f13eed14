package io.goldilocks.ttrpc;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Per-call options: a timeout (sent to the server as {@code timeout_nano} and enforced by the client too) and
 * metadata. Immutable, thread-safe.
 */
public final class CallOptions {
  private static final CallOptions NONE = new CallOptions(null, Metadata.empty());

  private final Duration timeout; // null: no deadline
  private final Metadata metadata;

  private CallOptions(Duration timeout, Metadata metadata) {
    this.timeout = timeout;
    this.metadata = metadata;
  }

  public static CallOptions timeout(Duration timeout) {
    return NONE.withTimeout(timeout);
  }

  public static CallOptions none() {
    return NONE;
  }

  public CallOptions withMetadata(String key, String value) {
    return new CallOptions(timeout, metadata.with(key, value));
  }

  public CallOptions withMetadata(Metadata more) {
    Metadata merged = metadata;
    for (var e : more.entries()) {
      merged = merged.with(e.getKey(), e.getValue());
    }
    return new CallOptions(timeout, merged);
  }

  /** A copy with this timeout; it must be positive. */
  public CallOptions withTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    return new CallOptions(timeout, metadata);
  }

  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  public Metadata metadata() {
    return metadata;
  }

  @Override
  public String toString() {
    return "CallOptions[timeout=" + timeout + ", metadata=" + metadata + "]";
  }
}
