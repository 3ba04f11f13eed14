package io.goldilocks.ttrpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.goldilocks.ttrpc.proto.Response;
import io.goldilocks.ttrpc.proto.rpc.Status;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One call on a server connection, from its request frame to its one final frame. Exactly one final frame is sent
 * ({@link #finish}), whoever gets there first: the handler returning, the deadline, an oversized or overflowing
 * stream, or the connection closing (which sends nothing).
 *
 * <p>Thread-safe: the handler thread, the reader thread and the deadline timer all touch it.
 */
final class ServerCall implements CallContext, Runnable {
  private final ServerConnection connection;
  private final int streamId;
  private final Service.Method method;
  private final byte[] requestPayload; // unary only
  private final Metadata metadata;
  private final Instant deadline; // null: none
  private final Inbox inbox; // streams only
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile boolean cancelled;
  private volatile Code cancelCode = Code.CANCELLED;
  private volatile ScheduledFuture<?> deadlineTimer;
  private Message clientStreamingResponse; // CLIENT_STREAMING: the one response; handler thread only

  ServerCall(ServerConnection connection, int streamId, Service.Method method, byte[] requestPayload,
      Metadata metadata, Instant deadline) {
    this.connection = connection;
    this.streamId = streamId;
    this.method = method;
    this.requestPayload = requestPayload;
    this.metadata = metadata;
    this.deadline = deadline;
    this.inbox = method.kind() == Service.Kind.UNARY ? null : new Inbox();
  }

  int streamId() {
    return streamId;
  }

  Service.Kind kind() {
    return method.kind();
  }

  /** Null for unary calls. */
  Inbox inbox() {
    return inbox;
  }

  void setDeadlineTimer(ScheduledFuture<?> timer) {
    this.deadlineTimer = timer;
    if (finished.get()) {
      timer.cancel(false);
    }
  }

  @Override
  public Metadata metadata() {
    return metadata;
  }

  @Override
  public Optional<Instant> deadline() {
    return Optional.ofNullable(deadline);
  }

  @Override
  public boolean isCancelled() {
    return cancelled || (deadline != null && Instant.now().isAfter(deadline));
  }

  boolean isFinished() {
    return finished.get();
  }

  @Override
  public void run() {
    if (finished.get()) {
      return; // answered (deadline, shutdown) before a worker picked it up
    }
    try {
      if (method.kind() == Service.Kind.UNARY) {
        runUnary();
      } else {
        runStream();
      }
    } catch (Throwable t) {
      finish(Statuses.ofHandlerFailure(t), ByteString.EMPTY);
      if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
        throw (VirtualMachineError) t;
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void runUnary() throws Exception {
    Message request = parse(requestPayload);
    Message response = ((UnaryHandler) method.handler()).handle(this, request);
    if (response == null) {
      throw TtrpcException.internal("handler for %s returned null", method.name());
    }
    finish(Statuses.OK, response.toByteString());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void runStream() throws Exception {
    ((StreamHandler) method.handler()).handle(this, new Stream());
    if (method.kind().serverStreams) {
      finishStreamOk();
    } else if (clientStreamingResponse == null) {
      throw TtrpcException.internal("client-streaming handler for %s returned without sending its response",
          method.name());
    } else {
      finish(Statuses.OK, clientStreamingResponse.toByteString());
    }
  }

  Message parse(byte[] payload) throws TtrpcException {
    try {
      return method.parser().parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw new TtrpcException(Code.INVALID_ARGUMENT, "malformed request payload for " + method.name(), e);
    }
  }

  /** Sends the final Response frame (status + payload) unless the call already ended. */
  void finish(Status status, ByteString payload) {
    if (!markFinished()) {
      return;
    }
    if (status.getCode() != Code.OK.value()) {
      cancelled = true;
      if (inbox != null) {
        inbox.fail(Statuses.toException(status), true);
      }
    }
    connection.sendResponse(streamId, Response.newBuilder().setStatus(status).setPayload(payload).build());
  }

  /** Go ttrpc ends an OK server stream with an empty data frame flagged remote-closed, not a Response. */
  private void finishStreamOk() {
    if (markFinished()) {
      connection.sendFrame(streamId, FrameCodec.TYPE_DATA,
          (byte) (FrameCodec.FLAG_REMOTE_CLOSED | FrameCodec.FLAG_NO_DATA), new byte[0]);
    }
  }

  /** Ends the call with a non-OK status, e.g. on deadline or an oversized message for this stream. */
  void abort(Code code, String message) {
    cancelCode = code;
    finish(Statuses.of(code, message), ByteString.EMPTY);
  }

  /** The connection is gone: nothing can be sent; wake the handler. */
  void connectionClosed() {
    cancelCode = Code.UNAVAILABLE;
    cancelled = true;
    if (markFinished() && inbox != null) {
      inbox.fail(TtrpcException.unavailable("connection closed"), true);
    }
  }

  private boolean markFinished() {
    if (!finished.compareAndSet(false, true)) {
      return false;
    }
    ScheduledFuture<?> timer = deadlineTimer;
    if (timer != null) {
      timer.cancel(false);
    }
    connection.callFinished(this);
    return true;
  }

  private TtrpcException deadOrCancelled() {
    if (deadline != null && Instant.now().isAfter(deadline)) {
      return TtrpcException.deadlineExceeded("call deadline passed");
    }
    return new TtrpcException(cancelCode, "call already ended");
  }

  /** The handler's view of a streaming call. */
  private final class Stream implements ServerStream<Message, Message> {
    @Override
    public Message receive() throws TtrpcException {
      byte[] next = inbox.take(-1);
      if (next == null) {
        return null;
      }
      return parse(next);
    }

    @Override
    public void send(Message message) throws TtrpcException {
      if (finished.get()) {
        throw deadOrCancelled();
      }
      if (!method.kind().serverStreams) {
        if (clientStreamingResponse != null) {
          throw TtrpcException.failedPrecondition("a client-streaming call has exactly one response");
        }
        clientStreamingResponse = message;
        return;
      }
      byte[] data = message.toByteArray();
      if (data.length > FrameCodec.MAX_DATA_LENGTH) {
        throw TtrpcException.resourceExhausted("message of %d bytes exceeds the %d byte limit", data.length,
            FrameCodec.MAX_DATA_LENGTH);
      }
      if (!connection.sendFrame(streamId, FrameCodec.TYPE_DATA, (byte) 0, data)) {
        throw TtrpcException.unavailable("connection closed");
      }
    }
  }
}
