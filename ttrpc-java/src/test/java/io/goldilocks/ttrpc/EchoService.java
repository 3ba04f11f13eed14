package io.goldilocks.ttrpc;

import com.google.protobuf.ByteString;
import io.goldilocks.ttrpc.testproto.EchoRequest;
import io.goldilocks.ttrpc.testproto.EchoResponse;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/** The test service: behaviour chosen by the request's text, so each test states what it asks for. */
final class EchoService {
  static final String NAME = "goldilocks.test.Echo";

  /** Handlers that passed their start, and those that saw their call cancelled. */
  final AtomicInteger started = new AtomicInteger();
  final AtomicInteger sawCancel = new AtomicInteger();
  /** Released by tests to let "block" calls finish. */
  final CountDownLatch release = new CountDownLatch(1);

  Service service() {
    return Service.builder(NAME)
        .unary("Echo", EchoRequest.parser(), this::echo)
        .serverStreaming("Generate", EchoRequest.parser(), this::generate)
        .clientStreaming("Collect", EchoRequest.parser(), this::collect)
        .bidiStreaming("Chat", EchoRequest.parser(), this::chat)
        .build();
  }

  /**
   * Text commands: "error:CODE:message" throws that status; "boom" throws a plain exception; "sleep" sleeps
   * sleep_millis (noting cancellation); "block" waits for {@link #release}; "metadata:KEY" answers the values sent
   * for KEY joined by ','; "deadline" answers whether the call has one; "big:N" answers N bytes of data; "null"
   * returns null. Anything else is echoed with its data.
   */
  private EchoResponse echo(CallContext ctx, EchoRequest request) throws Exception {
    started.incrementAndGet();
    String text = request.getText();
    if (text.startsWith("error:")) {
      String[] parts = text.split(":", 3);
      throw new TtrpcException(Code.valueOf(parts[1]), parts[2]);
    }
    if (text.equals("boom")) {
      throw new IllegalStateException("handler exploded");
    }
    if (text.equals("sleep")) {
      sleepNoting(ctx, request.getSleepMillis());
    }
    if (text.equals("block")) {
      release.await();
    }
    if (text.startsWith("metadata:")) {
      return reply(String.join(",", ctx.metadata().all(text.substring("metadata:".length()))));
    }
    if (text.startsWith("big:")) {
      return EchoResponse.newBuilder().setData(ByteString.copyFrom(new byte[Integer.parseInt(text.substring(4))]))
          .build();
    }
    if (text.equals("null")) {
      return null;
    }
    if (text.equals("deadline")) {
      return reply(ctx.deadline().isPresent() ? "has deadline" : "no deadline");
    }
    return EchoResponse.newBuilder().setText(text).setData(request.getData()).build();
  }

  private void sleepNoting(CallContext ctx, long millis) throws InterruptedException {
    long end = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < end) {
      if (ctx.isCancelled()) {
        sawCancel.incrementAndGet();
        return;
      }
      Thread.sleep(5);
    }
  }

  /** Sends `count` messages of `data.size()` pseudo-random bytes (seeded by count), each with its index. */
  private void generate(CallContext ctx, ServerStream<EchoRequest, EchoResponse> stream) throws Exception {
    EchoRequest request = stream.receive();
    if (request.getText().startsWith("error:")) {
      stream.send(reply("before error"));
      String[] parts = request.getText().split(":", 3);
      throw new TtrpcException(Code.valueOf(parts[1]), parts[2]);
    }
    int size = request.getData().size();
    Random random = new Random(request.getCount());
    byte[] chunk = new byte[size];
    for (int i = 0; i < request.getCount(); i++) {
      random.nextBytes(chunk);
      stream.send(EchoResponse.newBuilder().setIndex(i).setData(ByteString.copyFrom(chunk)).build());
    }
  }

  /**
   * Answers once the client closed its side: the message count in index, the CRC32 of all data in text. A message
   * with text "forget" makes the handler return without answering (a handler bug the server must report).
   */
  private void collect(CallContext ctx, ServerStream<EchoRequest, EchoResponse> stream) throws Exception {
    CRC32 crc = new CRC32();
    int count = 0;
    for (EchoRequest m = stream.receive(); m != null; m = stream.receive()) {
      if (m.getText().equals("forget")) {
        return;
      }
      crc.update(m.getData().asReadOnlyByteBuffer());
      count++;
    }
    stream.send(EchoResponse.newBuilder().setIndex(count).setText(Long.toString(crc.getValue())).build());
  }

  /** Echoes every message; a message with text "error:CODE:msg" ends the call with that status. */
  private void chat(CallContext ctx, ServerStream<EchoRequest, EchoResponse> stream) throws Exception {
    int i = 0;
    for (EchoRequest m = stream.receive(); m != null; m = stream.receive()) {
      if (m.getText().startsWith("error:")) {
        String[] parts = m.getText().split(":", 3);
        throw new TtrpcException(Code.valueOf(parts[1]), parts[2]);
      }
      stream.send(EchoResponse.newBuilder().setText(m.getText()).setData(m.getData()).setIndex(i++).build());
    }
  }

  static EchoResponse reply(String text) {
    return EchoResponse.newBuilder().setText(text).build();
  }

  static EchoRequest request(String text) {
    return EchoRequest.newBuilder().setText(text).build();
  }
}
