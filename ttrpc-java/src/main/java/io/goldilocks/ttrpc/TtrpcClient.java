package io.goldilocks.ttrpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.goldilocks.ttrpc.proto.KeyValue;
import io.goldilocks.ttrpc.proto.Request;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A ttrpc client on one connection: unary calls (blocking and async) and streams, many in flight at once.
 *
 * <p>When the connection ends (peer gone, truncated input, {@link #close()}), every pending call fails with
 * UNAVAILABLE at once and the {@link #onClose} listeners run. Thread-safe.
 */
public final class TtrpcClient implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(TtrpcClient.class.getName());
  private static final ScheduledExecutorService TIMER = timer();
  /** Runs async callers' continuations, so they never stall a connection's reader thread. */
  private static final ExecutorService CALLBACKS =
      Executors.newCachedThreadPool(new DaemonThreads("ttrpc-client-callback"));
  private static final AtomicInteger CONNECTION_NUMBER = new AtomicInteger();

  private final FrameChannel channel;
  private final Map<Integer, ClientCall> calls = new ConcurrentHashMap<>();
  private final Object requestLock = new Object(); // keeps request stream ids increasing on the wire
  private long nextStreamId = 1; // guarded by requestLock
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile String closeReason = "";
  private final List<Runnable> closeListeners = new ArrayList<>(); // guarded by itself

  private TtrpcClient(Transport transport) {
    this.channel = new FrameChannel(transport);
    Thread reader = new Thread(this::readLoop, "ttrpc-client-reader-" + CONNECTION_NUMBER.incrementAndGet());
    reader.setDaemon(true);
    reader.start();
  }

  /** Connects to a ttrpc server listening on a Unix socket. */
  public static TtrpcClient connect(Path unixSocketPath) throws IOException {
    SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      socket.connect(UnixDomainSocketAddress.of(unixSocketPath));
    } catch (IOException e) {
      socket.close();
      throw new IOException("cannot connect to ttrpc server at " + unixSocketPath + ": " + e.getMessage(), e);
    }
    return new TtrpcClient(new ChannelTransport(socket));
  }

  /** A client over a duplex byte stream (e.g. a virtio-serial port); closing the client closes both streams. */
  public static TtrpcClient over(InputStream in, OutputStream out) {
    return new TtrpcClient(new StreamTransport(in, out));
  }

  // ---- unary ---------------------------------------------------------------------------------------------------

  /** Calls {@code service/method} and waits for the response (or the options' timeout). */
  public <R extends Message> R call(String service, String method, Message request, Parser<R> responseParser,
      CallOptions options) throws TtrpcException {
    CompletableFuture<ByteString> result = startUnary(service, method, request, options);
    try {
      return parse(responseParser, result.get());
    } catch (ExecutionException e) {
      throw rethrowable(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TtrpcException.cancelled("interrupted while waiting for %s/%s", service, method);
    }
  }

  /**
   * Starts a call; the future completes with the response or fails with a {@link TtrpcException}. Dependent
   * actions run on a ttrpc callback thread, never on the connection's reader.
   */
  public <R extends Message> CompletableFuture<R> callAsync(String service, String method, Message request,
      Parser<R> responseParser, CallOptions options) {
    CompletableFuture<ByteString> result;
    try {
      result = startUnary(service, method, request, options);
    } catch (TtrpcException e) {
      return CompletableFuture.failedFuture(e);
    }
    return result.handleAsync((payload, failure) -> {
      if (failure != null) {
        throw new CompletionException(unwrap(failure));
      }
      try {
        return parse(responseParser, payload);
      } catch (TtrpcException e) {
        throw new CompletionException(e);
      }
    }, CALLBACKS);
  }

  private CompletableFuture<ByteString> startUnary(String service, String method, Message request,
      CallOptions options) throws TtrpcException {
    UnaryCall call = new UnaryCall();
    Request envelope = envelope(service, method, request.toByteString(), options);
    int id = open(call, envelope, (byte) 0);
    options.timeout().ifPresent(timeout -> {
      ScheduledFuture<?> timer = scheduleDeadline(id, call, timeout, service, method);
      call.result.whenComplete((r, e) -> timer.cancel(false));
    });
    return call.result;
  }

  // ---- streams -------------------------------------------------------------------------------------------------

  /**
   * Opens a stream. {@code clientStreaming=false}: {@code request} is the only message (server streaming).
   * {@code clientStreaming=true}: {@code request} (may be null) is the first message and the send side stays open.
   */
  public <Q extends Message, R extends Message> ClientStream<Q, R> stream(String service, String method, Q request,
      Parser<R> responseParser, CallOptions options, boolean clientStreaming) throws TtrpcException {
    ClientStreamCall<Q, R> call = new ClientStreamCall<>(this, responseParser, clientStreaming);
    ByteString first = request == null ? ByteString.EMPTY : request.toByteString();
    byte flags = clientStreaming ? FrameCodec.FLAG_REMOTE_OPEN : FrameCodec.FLAG_REMOTE_CLOSED;
    int id = open(call, envelope(service, method, first, options), flags);
    ScheduledFuture<?> timer = options.timeout()
        .map(timeout -> scheduleDeadline(id, call, timeout, service, method)).orElse(null);
    call.opened(id, timer);
    if (clientStreaming && request != null && first.isEmpty()) {
      call.sendFirst(new byte[0]); // Go servers drop an empty request payload on client streams
    }
    return call;
  }

  // ---- connection ----------------------------------------------------------------------------------------------

  public boolean isClosed() {
    return closed.get();
  }

  /** Runs {@code listener} once when the connection ends (at once if it already has). Keep listeners short. */
  public void onClose(Runnable listener) {
    synchronized (closeListeners) {
      if (!closed.get()) {
        closeListeners.add(listener);
        return;
      }
    }
    runListener(listener);
  }

  /** Closes the connection; pending calls fail with UNAVAILABLE. Idempotent. */
  @Override
  public void close() {
    shutdown("client closed");
  }

  private void readLoop() {
    String reason = "connection closed by peer";
    try {
      channel.readLoop(new Sink());
    } catch (EOFException e) {
      reason = "connection ended inside a frame";
    } catch (IOException e) {
      reason = "connection failed: " + e.getMessage();
    } catch (RuntimeException | Error e) {
      LOG.log(Level.WARNING, "ttrpc client reader failed", e);
      reason = "client failure: " + e;
    } finally {
      shutdown(reason);
    }
  }

  private void shutdown(String reason) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closeReason = reason;
    channel.close();
    for (var e : calls.entrySet()) {
      if (calls.remove(e.getKey(), e.getValue())) {
        e.getValue().fail(TtrpcException.unavailable("ttrpc %s", reason));
      }
    }
    List<Runnable> listeners;
    synchronized (closeListeners) {
      listeners = List.copyOf(closeListeners);
      closeListeners.clear();
    }
    listeners.forEach(TtrpcClient::runListener);
  }

  private static void runListener(Runnable listener) {
    try {
      listener.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "ttrpc onClose listener failed", e);
    }
  }

  /** Frames from the server, on the reader thread. */
  private final class Sink implements FrameDecoder.Sink {
    @Override
    public void frame(Frame frame) {
      ClientCall call = calls.get(frame.streamId());
      if (call != null && call.onFrame(frame)) {
        calls.remove(frame.streamId(), call);
      } // else: a call that timed out or was closed; its late frames are dropped, as Go does
    }

    @Override
    public void oversized(int streamId, byte type, byte flags, long dataLength) {
      ClientCall call = calls.remove(streamId);
      if (call != null) {
        call.fail(TtrpcException.resourceExhausted("response of %d bytes exceeds the %d byte limit", dataLength,
            FrameCodec.MAX_DATA_LENGTH));
      }
    }
  }

  // ---- helpers -------------------------------------------------------------------------------------------------

  private static Request envelope(String service, String method, ByteString payload, CallOptions options)
      throws TtrpcException {
    checkSize(payload.size());
    Request.Builder b = Request.newBuilder().setService(service).setMethod(method).setPayload(payload);
    options.timeout().ifPresent(t -> b.setTimeoutNano(saturatedNanos(t)));
    for (var kv : options.metadata().entries()) {
      b.addMetadata(KeyValue.newBuilder().setKey(kv.getKey()).setValue(kv.getValue()));
    }
    return b.build();
  }

  /** Registers the call and writes its request frame; ids are allocated and written in order. */
  private int open(ClientCall call, Request request, byte flags) throws TtrpcException {
    byte[] frame = request.toByteArray();
    checkSize(frame.length);
    synchronized (requestLock) {
      if (closed.get()) {
        throw TtrpcException.unavailable("ttrpc %s", closeReason);
      }
      if (nextStreamId > 0xFFFF_FFFFL) {
        throw TtrpcException.unavailable("stream ids exhausted on this connection; reconnect");
      }
      int id = (int) nextStreamId;
      nextStreamId += 2;
      calls.put(id, call);
      if (closed.get()) { // closed between the check and the put: shutdown may have missed this call
        calls.remove(id, call);
        throw TtrpcException.unavailable("ttrpc %s", closeReason);
      }
      try {
        channel.send(id, FrameCodec.TYPE_REQUEST, flags, frame);
      } catch (IOException e) {
        calls.remove(id, call);
        shutdown("connection failed: " + e.getMessage());
        throw new TtrpcException(Code.UNAVAILABLE, "ttrpc connection failed: " + e.getMessage(), e);
      }
      return id;
    }
  }

  void sendData(int streamId, byte flags, byte[] data) throws TtrpcException {
    if (closed.get()) {
      throw TtrpcException.unavailable("ttrpc %s", closeReason);
    }
    try {
      channel.send(streamId, FrameCodec.TYPE_DATA, flags, data);
    } catch (IOException e) {
      shutdown("connection failed: " + e.getMessage());
      throw new TtrpcException(Code.UNAVAILABLE, "ttrpc connection failed: " + e.getMessage(), e);
    }
  }

  void forget(int streamId, ClientCall call) {
    calls.remove(streamId, call);
  }

  private ScheduledFuture<?> scheduleDeadline(int id, ClientCall call, Duration timeout, String service,
      String method) {
    return TIMER.schedule(() -> {
      if (calls.remove(id, call)) {
        call.fail(TtrpcException.deadlineExceeded("%s/%s: no response within %s", service, method, timeout));
      }
    }, saturatedNanos(timeout), TimeUnit.NANOSECONDS);
  }

  static void checkSize(int length) throws TtrpcException {
    if (length > FrameCodec.MAX_DATA_LENGTH) {
      throw TtrpcException.resourceExhausted("message of %d bytes exceeds the %d byte limit", length,
          FrameCodec.MAX_DATA_LENGTH);
    }
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  private static <R extends Message> R parse(Parser<R> parser, ByteString payload) throws TtrpcException {
    try {
      return parser.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw new TtrpcException(Code.INTERNAL, "malformed response payload", e);
    }
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  /** A TtrpcException with the caller's stack trace, keeping the original as its cause. */
  private static TtrpcException rethrowable(Throwable t) {
    Throwable cause = unwrap(t);
    if (cause instanceof TtrpcException e) {
      return new TtrpcException(e.code(), e.getMessage(), e);
    }
    return new TtrpcException(Code.INTERNAL, String.valueOf(cause), cause);
  }

  private static ScheduledExecutorService timer() {
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, new DaemonThreads("ttrpc-client-timer"));
    t.setRemoveOnCancelPolicy(true);
    return t;
  }
}
