package io.goldilocks.ttrpc;

/** A call the client is waiting on, as the client's reader thread sees it. Implementations are thread-safe. */
interface ClientCall {
  /** A response or data frame for this call (reader thread). Returns true when the call is finished. */
  boolean onFrame(Frame frame);

  /** Ends the call with {@code cause}: connection lost, deadline, oversized response, local cancel. Idempotent. */
  void fail(TtrpcException cause);
}
