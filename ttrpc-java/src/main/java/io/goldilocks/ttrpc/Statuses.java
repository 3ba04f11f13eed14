package io.goldilocks.ttrpc;

import io.goldilocks.ttrpc.proto.rpc.Status;

/** The one mapping between {@link TtrpcException} and {@code google.rpc.Status}. Thread-safe (stateless). */
final class Statuses {
  static final Status OK = Status.newBuilder().setCode(Code.OK.value()).build();

  private Statuses() {}

  static Status of(Code code, String message) {
    return Status.newBuilder().setCode(code.value()).setMessage(message == null ? "" : message).build();
  }

  static Status of(TtrpcException e) {
    return of(e.code(), e.getMessage());
  }

  /** What a handler's failure tells the client: its own code for a TtrpcException, INTERNAL for anything else. */
  static Status ofHandlerFailure(Throwable t) {
    if (t instanceof TtrpcException e) {
      return of(e);
    }
    String message = t.getMessage() == null ? t.getClass().getName() : t.getClass().getName() + ": " + t.getMessage();
    return of(Code.INTERNAL, message);
  }

  /** The exception for a non-OK status received from the peer. */
  static TtrpcException toException(Status status) {
    return new TtrpcException(Code.of(status.getCode()), status.getMessage());
  }
}
