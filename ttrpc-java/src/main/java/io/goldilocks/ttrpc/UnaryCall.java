package io.goldilocks.ttrpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.goldilocks.ttrpc.proto.Response;
import java.util.concurrent.CompletableFuture;

/** A unary call in flight on the client: completes with the response payload or a TtrpcException. Thread-safe. */
final class UnaryCall implements ClientCall {
  final CompletableFuture<ByteString> result = new CompletableFuture<>();

  @Override
  public boolean onFrame(Frame frame) {
    if (frame.type() != FrameCodec.TYPE_RESPONSE) {
      fail(TtrpcException.internal("unexpected frame type %d for a unary call", frame.type()));
      return true;
    }
    try {
      Response response = Response.parseFrom(frame.payload());
      // Go ttrpc servers leave the status out on success (a nil *Status), so absent means OK.
      if (response.getStatus().getCode() != Code.OK.value()) {
        fail(Statuses.toException(response.getStatus()));
      } else {
        result.complete(response.getPayload());
      }
    } catch (InvalidProtocolBufferException e) {
      fail(new TtrpcException(Code.INTERNAL, "malformed response frame", e));
    }
    return true;
  }

  @Override
  public void fail(TtrpcException cause) {
    result.completeExceptionally(cause);
  }
}
