package io.goldilocks.ttrpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.goldilocks.ttrpc.proto.Response;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A streaming call on the client. Received messages wait in a bounded {@link Inbox}; if the application does not
 * read for 5 s while it is full, the stream fails with RESOURCE_EXHAUSTED rather than stall the connection.
 *
 * <p>States: OPEN → (server ended it: Data[remote-closed] = OK, or a Response with its status) → drained; or
 * failed locally (deadline, connection lost, {@link #close()}). Send side: OPEN → send-closed. Thread-safe: one
 * thread may send while another receives.
 */
final class ClientStreamCall<Q extends Message, R extends Message> implements ClientStream<Q, R>, ClientCall {
  private static final long FULL_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final TtrpcException ENDED_OK = new TtrpcException(Code.OK, "stream finished");

  private final TtrpcClient client;
  private final Parser<R> parser;
  private final boolean clientStreaming;
  private final Inbox inbox = new Inbox();
  private volatile int streamId;
  private volatile boolean sendClosed;
  private volatile TtrpcException ended; // null while the server has not ended the call
  private volatile ScheduledFuture<?> deadlineTimer;

  ClientStreamCall(TtrpcClient client, Parser<R> parser, boolean clientStreaming) {
    this.client = client;
    this.parser = parser;
    this.clientStreaming = clientStreaming;
    this.sendClosed = !clientStreaming;
  }

  void opened(int streamId, ScheduledFuture<?> deadlineTimer) {
    this.streamId = streamId;
    this.deadlineTimer = deadlineTimer;
    if (ended != null && deadlineTimer != null) {
      deadlineTimer.cancel(false);
    }
  }

  // ---- reader thread -------------------------------------------------------------------------------------------

  @Override
  public boolean onFrame(Frame frame) {
    if (frame.type() == FrameCodec.TYPE_DATA) {
      if (!frame.has(FrameCodec.FLAG_NO_DATA) && !deliver(frame.payload())) {
        return true;
      }
      if (frame.has(FrameCodec.FLAG_REMOTE_CLOSED)) {
        end(ENDED_OK);
        inbox.end();
        return true;
      }
      return false;
    }
    if (frame.type() == FrameCodec.TYPE_RESPONSE) {
      onResponse(frame);
      return true;
    }
    return false;
  }

  private void onResponse(Frame frame) {
    try {
      Response response = Response.parseFrom(frame.payload());
      if (response.getStatus().getCode() != Code.OK.value()) { // absent status (Go, on success) means OK
        TtrpcException status = Statuses.toException(response.getStatus());
        end(status);
        inbox.fail(status, false);
      } else {
        // A client-streaming call's single result travels in the Response; a server stream ends with one, if any.
        if ((clientStreaming || !response.getPayload().isEmpty()) && !deliver(response.getPayload().toByteArray())) {
          return;
        }
        end(ENDED_OK);
        inbox.end();
      }
    } catch (InvalidProtocolBufferException e) {
      fail(new TtrpcException(Code.INTERNAL, "malformed response frame", e));
    }
  }

  private boolean deliver(byte[] message) {
    try {
      if (inbox.offer(message, FULL_TIMEOUT_NANOS) == Inbox.Offer.FULL) {
        fail(TtrpcException.resourceExhausted("stream receive buffer full: the application is not reading"));
        return false;
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(TtrpcException.cancelled("interrupted"));
      return false;
    }
  }

  @Override
  public void fail(TtrpcException cause) {
    end(cause);
    inbox.fail(cause, false);
  }

  private void end(TtrpcException how) {
    if (ended == null) {
      ended = how;
    }
    ScheduledFuture<?> timer = deadlineTimer;
    if (timer != null) {
      timer.cancel(false);
    }
  }

  // ---- application ---------------------------------------------------------------------------------------------

  @Override
  public void send(Q message) throws TtrpcException {
    if (sendClosed) {
      throw TtrpcException.failedPrecondition("the send side of this stream is closed");
    }
    TtrpcException how = ended;
    if (how == ENDED_OK) {
      throw TtrpcException.failedPrecondition("the server already finished this stream");
    } else if (how != null) {
      throw new TtrpcException(how.code(), how.getMessage(), how);
    }
    byte[] data = message.toByteArray();
    TtrpcClient.checkSize(data.length);
    client.sendData(streamId, (byte) 0, data);
  }

  /** Sends one message even if it serializes to nothing (a request payload that Go would drop). */
  void sendFirst(byte[] data) throws TtrpcException {
    client.sendData(streamId, (byte) 0, data);
  }

  @Override
  public void closeSend() throws TtrpcException {
    if (sendClosed) {
      return;
    }
    sendClosed = true;
    if (ended == null) {
      client.sendData(streamId, (byte) (FrameCodec.FLAG_REMOTE_CLOSED | FrameCodec.FLAG_NO_DATA), new byte[0]);
    }
  }

  @Override
  public R receive() throws TtrpcException {
    return parse(inbox.take(-1));
  }

  @Override
  public R receive(Duration timeout) throws TtrpcException {
    return parse(inbox.take(Math.max(0, timeout.toNanos())));
  }

  private R parse(byte[] message) throws TtrpcException {
    if (message == null) {
      return null;
    }
    try {
      return parser.parseFrom(message);
    } catch (InvalidProtocolBufferException e) {
      throw new TtrpcException(Code.INTERNAL, "malformed stream message", e);
    }
  }

  @Override
  public void close() {
    if (ended != null) {
      return;
    }
    try {
      closeSend(); // lets the server's receive() end instead of waiting for nothing
    } catch (TtrpcException ignored) {
      // connection already gone
    }
    client.forget(streamId, this);
    TtrpcException cancelled = TtrpcException.cancelled("stream closed by the client");
    end(cancelled);
    inbox.fail(cancelled, true);
  }
}
