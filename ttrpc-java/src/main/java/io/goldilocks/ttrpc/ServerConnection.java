package io.goldilocks.ttrpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.goldilocks.ttrpc.proto.KeyValue;
import io.goldilocks.ttrpc.proto.Request;
import io.goldilocks.ttrpc.proto.Response;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server side of one connection: a reader thread that decodes frames and routes them (requests start calls,
 * data feeds streams), and the calls in flight. Bad input from the client is answered on its stream, never by
 * dropping the connection; only transport failure or a truncated frame ends it.
 *
 * <p>States: OPEN → DRAINING (server shutdown: new requests get UNAVAILABLE) → CLOSED. Thread-safe.
 */
final class ServerConnection implements Connection, FrameDecoder.Sink {
  private static final Logger LOG = Logger.getLogger(ServerConnection.class.getName());
  private static final long STREAM_FULL_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final TtrpcServer server;
  private final FrameChannel channel;
  private final CallScheduler scheduler;
  private final Map<Integer, ServerCall> calls = new ConcurrentHashMap<>();
  private final CountDownLatch closedLatch = new CountDownLatch(1);
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean draining;
  private long lastStreamId; // reader thread only

  ServerConnection(TtrpcServer server, Transport transport, CallScheduler scheduler) {
    this.server = server;
    this.channel = new FrameChannel(transport);
    this.scheduler = scheduler;
  }

  void start(String threadName) {
    Thread reader = new Thread(this::readLoop, threadName);
    reader.setDaemon(true);
    reader.start();
  }

  private void readLoop() {
    try {
      channel.readLoop(this);
    } catch (IOException e) {
      if (!closed.get()) {
        LOG.log(Level.FINE, "ttrpc connection " + channel.describe() + " failed", e);
      }
    } catch (RuntimeException | Error e) {
      LOG.log(Level.WARNING, "ttrpc connection " + channel.describe() + ": unexpected failure", e);
    } finally {
      close();
    }
  }

  // ---- frames from the client (reader thread) ------------------------------------------------------------------

  @Override
  public void frame(Frame frame) {
    if ((frame.streamId() & 1) == 0) {
      sendStatus(frame.streamId(), Code.INVALID_ARGUMENT, "stream id must be odd for client initiated streams");
      return;
    }
    switch (frame.type()) {
      case FrameCodec.TYPE_REQUEST -> onRequest(frame);
      case FrameCodec.TYPE_DATA -> onData(frame);
      default -> { } // responses from a client, unknown types: ignored for forward compatibility, as Go does
    }
  }

  @Override
  public void oversized(int streamId, byte type, byte flags, long dataLength) {
    String message = "message of " + dataLength + " bytes exceeds the " + FrameCodec.MAX_DATA_LENGTH + " byte limit";
    if (type == FrameCodec.TYPE_REQUEST && Integer.toUnsignedLong(streamId) > lastStreamId) {
      lastStreamId = Integer.toUnsignedLong(streamId);
    }
    ServerCall call = calls.get(streamId);
    if (call != null) {
      call.abort(Code.RESOURCE_EXHAUSTED, message);
    } else {
      sendStatus(streamId, Code.RESOURCE_EXHAUSTED, message);
    }
  }

  private void onRequest(Frame frame) {
    long id = frame.unsignedStreamId();
    if (id <= lastStreamId) {
      sendStatus(frame.streamId(), Code.INVALID_ARGUMENT, "stream id cannot be re-used and must increment");
      return;
    }
    lastStreamId = id;
    Request request;
    try {
      request = Request.parseFrom(frame.payload());
    } catch (InvalidProtocolBufferException e) {
      sendStatus(frame.streamId(), Code.INVALID_ARGUMENT, "malformed request: " + e.getMessage());
      return;
    }
    if (draining) {
      sendStatus(frame.streamId(), Code.UNAVAILABLE, "server is shutting down");
      return;
    }
    var service = server.service(request.getService());
    if (service.isEmpty()) {
      sendStatus(frame.streamId(), Code.UNIMPLEMENTED, "service " + request.getService());
      return;
    }
    var method = service.get().method(request.getMethod());
    if (method.isEmpty()) {
      sendStatus(frame.streamId(), Code.UNIMPLEMENTED, "method " + request.getService() + "/" + request.getMethod());
      return;
    }
    startCall(frame, request, method.get());
  }

  private void startCall(Frame frame, Request request, Service.Method method) {
    Instant deadline = request.getTimeoutNano() > 0 ? Instant.now().plusNanos(request.getTimeoutNano()) : null;
    byte[] payload = request.getPayload().toByteArray();
    ServerCall call = new ServerCall(this, frame.streamId(), method, payload, metadata(request), deadline);
    calls.put(frame.streamId(), call);
    if (method.kind() != Service.Kind.UNARY) {
      feedFirstMessage(call, frame, payload);
    }
    if (deadline != null) {
      call.setDeadlineTimer(server.timer().schedule(
          () -> call.abort(Code.DEADLINE_EXCEEDED, "deadline exceeded"), request.getTimeoutNano(),
          TimeUnit.NANOSECONDS));
    }
    if (!scheduler.submit(call)) {
      call.abort(Code.RESOURCE_EXHAUSTED, "too many concurrent calls on this connection");
    }
  }

  /** As Go ttrpc: the request's payload is the first message unless a streaming client sent none. */
  private void feedFirstMessage(ServerCall call, Frame frame, byte[] payload) {
    Service.Kind kind = call.kind();
    if (payload.length > 0 || !kind.clientStreams) {
      deliver(call, payload); // an empty inbox always has room: never waits
    }
    if (!kind.clientStreams || frame.has(FrameCodec.FLAG_REMOTE_CLOSED)) {
      call.inbox().end();
    }
  }

  private void onData(Frame frame) {
    ServerCall call = calls.get(frame.streamId());
    if (call == null || call.kind() == Service.Kind.UNARY || !call.kind().clientStreams) {
      return; // finished, unknown or not accepting data: nobody to deliver to
    }
    if (!frame.has(FrameCodec.FLAG_NO_DATA)) {
      deliver(call, frame.payload());
    }
    if (frame.has(FrameCodec.FLAG_REMOTE_CLOSED)) {
      call.inbox().end();
    }
  }

  private void deliver(ServerCall call, byte[] payload) {
    try {
      if (call.inbox().offer(payload, STREAM_FULL_TIMEOUT_NANOS) == Inbox.Offer.FULL) {
        call.abort(Code.RESOURCE_EXHAUSTED, "stream receive buffer full: the handler is not reading");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
    }
  }

  private static Metadata metadata(Request request) {
    Metadata metadata = Metadata.empty();
    for (KeyValue kv : request.getMetadataList()) {
      metadata = metadata.with(kv.getKey(), kv.getValue());
    }
    return metadata;
  }

  // ---- frames to the client (any thread) -----------------------------------------------------------------------

  private void sendStatus(int streamId, Code code, String message) {
    sendResponse(streamId, Response.newBuilder().setStatus(Statuses.of(code, message)).build());
  }

  void sendResponse(int streamId, Response response) {
    if (response.getSerializedSize() > FrameCodec.MAX_DATA_LENGTH) {
      String message = "response of " + response.getPayload().size() + " bytes exceeds the "
          + FrameCodec.MAX_DATA_LENGTH + " byte limit";
      response = Response.newBuilder().setStatus(Statuses.of(Code.RESOURCE_EXHAUSTED, message))
          .setPayload(ByteString.EMPTY).build();
    }
    sendFrame(streamId, FrameCodec.TYPE_RESPONSE, (byte) 0, response.toByteArray());
  }

  /** False when the connection is closed or the write failed (which closes it). */
  boolean sendFrame(int streamId, byte type, byte flags, byte[] data) {
    if (closed.get()) {
      return false;
    }
    try {
      channel.send(streamId, type, flags, data);
      return true;
    } catch (IOException e) {
      LOG.log(Level.FINE, "ttrpc connection " + channel.describe() + ": write failed", e);
      close();
      return false;
    }
  }

  // ---- lifecycle -----------------------------------------------------------------------------------------------

  void callFinished(ServerCall call) {
    calls.remove(call.streamId(), call);
  }

  /** Stop taking new calls; calls in flight continue. */
  void drain() {
    draining = true;
  }

  boolean hasCallsInFlight() {
    return !calls.isEmpty();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    channel.close();
    for (ServerCall call : calls.values()) {
      call.connectionClosed();
    }
    calls.clear();
    server.connectionClosed(this);
    closedLatch.countDown();
  }

  @Override
  public void awaitClosed() throws InterruptedException {
    closedLatch.await();
  }

  @Override
  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public String toString() {
    return "ServerConnection[" + channel.describe() + ", calls=" + calls.size() + "]";
  }
}
