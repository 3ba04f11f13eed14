package io.goldilocks.ttrpc;

import java.time.Duration;

/**
 * The client's side of a streaming call. Thread-safe in the sense that one thread may send while another receives.
 */
public interface ClientStream<Q, R> extends AutoCloseable {
  /** Sends one message; blocks for back-pressure; throws once the call ended or the connection died. */
  void send(Q message) throws TtrpcException;

  /** Tells the server no more messages follow (ttrpc's remote-closed flag). Idempotent. */
  void closeSend() throws TtrpcException;

  /** Blocks for the next message; null at a clean end (OK status); throws the call's status when it is not OK. */
  R receive() throws TtrpcException;

  /** As {@link #receive()}, but DEADLINE_EXCEEDED if nothing arrives in time (the stream stays usable). */
  R receive(Duration timeout) throws TtrpcException;

  /** Ends the call locally if still open (ttrpc has no cancel frame: later frames for it are dropped). */
  @Override
  void close();
}
