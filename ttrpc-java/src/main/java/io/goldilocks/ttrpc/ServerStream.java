package io.goldilocks.ttrpc;

/**
 * The server's side of a streaming call. Meant for the one handler thread that owns the call; {@code send} and
 * {@code receive} may be used from two different threads (one each) for bidirectional streams.
 */
public interface ServerStream<Q, R> {
  /** Blocks for the client's next message; null once the client closed its side. Throws once the call is dead. */
  Q receive() throws TtrpcException;

  /** Sends one message; blocks while the connection cannot take more (back-pressure); throws once the call is dead. */
  void send(R message) throws TtrpcException;
}
