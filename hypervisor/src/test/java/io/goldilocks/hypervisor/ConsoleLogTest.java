package io.goldilocks.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleLogTest {
  @TempDir Path dir;

  @Test
  void tailIsTheLastFortyLines() throws Exception {
    Path log = Files.writeString(dir.resolve("console.log"),
        IntStream.rangeClosed(1, 100).mapToObj(i -> "line " + i + "\r").collect(Collectors.joining("\n")));
    assertThat(ConsoleLog.tail(log)).hasSize(40).startsWith("line 61").endsWith("line 100");
  }

  @Test
  void aHugeSingleLineIsBoundedAndAMissingLogIsEmpty() throws Exception {
    Path log = Files.writeString(dir.resolve("console.log"), "x".repeat(10_000_000));
    assertThat(ConsoleLog.tail(log)).singleElement().satisfies(line -> assertThat(line).hasSize(16 * 1024));
    assertThat(ConsoleLog.tail(dir.resolve("absent"))).isEmpty();
  }
}
