package io.goldilocks.ttrpc;

import com.google.protobuf.Message;

/**
 * Handles one streaming call. Returning normally ends the call with status OK; throwing ends it with the exception's
 * status ({@link TtrpcException}: its code, anything else: INTERNAL). Called on a server worker thread.
 */
@FunctionalInterface
public interface StreamHandler<Q extends Message, R extends Message> {
  void handle(CallContext ctx, ServerStream<Q, R> stream) throws Exception;
}
