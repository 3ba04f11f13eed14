package io.goldilocks.shim.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class FifosTest {
  @TempDir Path dir;

  static void mkfifo(Path p) throws Exception {
    assertThat(new ProcessBuilder("mkfifo", p.toString()).start().waitFor()).isZero();
  }

  @Test
  void writerOpensWithoutAReaderAndTheReaderGetsEverythingThenEndOfFile() throws Exception {
    Path fifo = dir.resolve("stdout");
    mkfifo(fifo);
    OutputStream out = Fifos.openWriter(fifo); // would block forever with a plain O_WRONLY open
    CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
      try (InputStream in = new FileInputStream(fifo.toFile())) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        in.transferTo(all); // FileInputStream.readAllBytes seeks, which a FIFO refuses on JDK 17
        return all.toByteArray();
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    out.write("hello\n".getBytes());
    out.close();
    assertThat(read.get(10, TimeUnit.SECONDS)).asString().isEqualTo("hello\n");
  }

  @Test
  void readerReturnsAtOnceReadsWhenTheWriterComesAndSeesEndOfFile() throws Exception {
    Path fifo = dir.resolve("stdin");
    mkfifo(fifo);
    Fifos.LazyFifoInputStream in = Fifos.openReader(fifo);
    try (OutputStream writer = new FileOutputStream(fifo.toFile())) {
      writer.write("typed".getBytes());
    }
    assertThat(in.readAllBytes()).asString().isEqualTo("typed");
    assertThat(in.awaitEndOfFile(Duration.ofSeconds(1))).isTrue();
    in.close();
  }

  @Test
  void closingAReaderWhoseWriterNeverCameReleasesItsOpen() throws Exception {
    Path fifo = dir.resolve("never");
    mkfifo(fifo);
    Fifos.LazyFifoInputStream in = Fifos.openReader(fifo);
    assertThat(in.awaitEndOfFile(Duration.ofMillis(100))).isFalse();
    in.close();
    assertThat(in.read()).isEqualTo(-1);
  }
}
