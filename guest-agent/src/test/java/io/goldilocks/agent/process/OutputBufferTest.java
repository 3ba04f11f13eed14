package io.goldilocks.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OutputBufferTest {
  @Test
  void aFullBufferBlocksTheWriterUntilTheReaderConsumes() throws Exception {
    OutputBuffer b = new OutputBuffer(8);
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      try {
        b.write("0123456789".getBytes(StandardCharsets.US_ASCII), 0, 10);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    try (OutputBuffer.Reader r = b.attach("stdout")) {
      byte[] first = awaitData(r, 100);
      assertThat(new String(first, StandardCharsets.US_ASCII)).isEqualTo("01234567");
      assertThat(writer).isNotDone(); // 2 bytes do not fit yet
      r.consume(first.length);
      writer.get(5, TimeUnit.SECONDS);
      assertThat(new String(awaitData(r, 100), StandardCharsets.US_ASCII)).isEqualTo("89");
    }
  }

  @Test
  void bytesPeekedButNotConsumedGoToTheNextReader() throws Exception {
    OutputBuffer b = new OutputBuffer(64);
    b.write("abc".getBytes(StandardCharsets.US_ASCII), 0, 3);
    b.finish();
    try (OutputBuffer.Reader r = b.attach("stdout")) {
      assertThat(awaitData(r, 2)).hasSize(2); // "sent" but the send failed: not consumed
      assertThatThrownBy(() -> b.attach("stdout"))
          .satisfies(e -> assertThat(((TtrpcException) e).code()).isEqualTo(Code.FAILED_PRECONDITION));
    }
    try (OutputBuffer.Reader r = b.attach("stdout")) {
      byte[] all = awaitData(r, 100);
      assertThat(new String(all, StandardCharsets.US_ASCII)).isEqualTo("abc");
      r.consume(all.length);
      assertThat(r.peek(100, 10)).isNull(); // EOF after everything was consumed
    }
  }

  @Test
  void aReaderWithoutDataTimesOutWithAnEmptyChunk() throws Exception {
    OutputBuffer b = new OutputBuffer(64);
    try (OutputBuffer.Reader r = b.attach("stdout")) {
      assertThat(r.peek(10, 20)).isEmpty();
    }
  }

  @Test
  void discardReleasesABlockedWriterAndEndsReaders() throws Exception {
    OutputBuffer b = new OutputBuffer(4);
    Thread pump = b.pumpFrom(new ByteArrayInputStream(new byte[100]), "test-pump");
    b.discard();
    pump.join(5000);
    assertThat(pump.isAlive()).isFalse();
    try (OutputBuffer.Reader r = b.attach("stdout")) {
      assertThat(r.peek(10, 10)).isNull();
    }
  }

  @Test
  void wrapsAroundTheRing() throws Exception {
    OutputBuffer b = new OutputBuffer(5);
    try (OutputBuffer.Reader r = b.attach("stdout")) {
      b.write("abcd".getBytes(StandardCharsets.US_ASCII), 0, 4);
      r.consume(3);
      b.write("efgh".getBytes(StandardCharsets.US_ASCII), 0, 4);
      assertThat(new String(awaitData(r, 10), StandardCharsets.US_ASCII)).isEqualTo("defgh");
      assertThat(b.totalWritten()).isEqualTo(8);
    }
  }

  @Test
  void growsWhileWrappedWithoutReorderingBytes() throws Exception {
    OutputBuffer b = new OutputBuffer(64 * 1024);
    byte[] data = new byte[26_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31);
    }
    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
    try (OutputBuffer.Reader r = b.attach("stdout")) {
      b.write(data, 0, 6000);
      byte[] first = awaitData(r, 5000);
      got.write(first);
      r.consume(first.length);
      b.write(data, 6000, 3000); // wraps around the end of the initial 8 KiB ring
      b.write(data, 9000, 17_000); // must grow while wrapped
      b.finish();
      for (byte[] c = r.peek(4096, 1000); c != null; c = r.peek(4096, 1000)) {
        got.write(c);
        r.consume(c.length);
      }
    }
    assertThat(got.toByteArray()).isEqualTo(java.util.Arrays.copyOf(data, 26_000));
  }

  private static byte[] awaitData(OutputBuffer.Reader r, int max) throws InterruptedException {
    byte[] data = r.peek(max, 5000);
    assertThat(data).isNotNull().isNotEmpty();
    return data;
  }
}
