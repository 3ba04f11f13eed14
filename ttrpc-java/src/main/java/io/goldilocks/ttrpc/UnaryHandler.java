package io.goldilocks.ttrpc;

import com.google.protobuf.Message;

/**
 * Handles one unary call. A {@link TtrpcException} reaches the client with its code; any other exception as
 * INTERNAL with its message. Called on a server worker thread; many calls may run at once.
 */
@FunctionalInterface
public interface UnaryHandler<Q extends Message, R extends Message> {
  R handle(CallContext ctx, Q request) throws Exception;
}
