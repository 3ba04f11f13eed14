package io.goldilocks.ttrpc;

/**
 * The status codes of a ttrpc call: google.rpc.Code, with the same numbers on the wire.
 *
 * <p>Immutable, thread-safe.
 */
public enum Code {
  OK, CANCELLED, UNKNOWN, INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND, ALREADY_EXISTS,
  PERMISSION_DENIED, RESOURCE_EXHAUSTED, FAILED_PRECONDITION, ABORTED, OUT_OF_RANGE,
  UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS, UNAUTHENTICATED;

  private static final Code[] BY_VALUE = values();

  /** The number carried in {@code google.rpc.Status.code}. */
  public int value() {
    return ordinal(); // declaration order is google.rpc.Code's numbering
  }

  /** The code for a wire number; numbers this enum does not know map to {@link #UNKNOWN}, as gRPC does. */
  public static Code of(int value) {
    return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : UNKNOWN;
  }
}
