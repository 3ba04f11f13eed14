package io.goldilocks.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleLimitTest {
  @TempDir Path dir;

  @Test
  void aLogPastTheLimitIsCutToANote() throws Exception {
    Path log = Files.writeString(dir.resolve("console.log"), "x".repeat(2000));
    ConsoleLimit limit = new ConsoleLimit(log, 1000);

    assertThat(limit.enforce()).isTrue();

    assertThat(Files.readString(log)).startsWith("[goldilocks: console log exceeded 1000 bytes").hasSizeLessThan(100);
    assertThat(limit.enforce()).isFalse();
  }

  @Test
  void aLogWithinTheLimitOrMissingIsLeftAlone() throws Exception {
    Path log = Files.writeString(dir.resolve("console.log"), "boot ok\n");
    assertThat(new ConsoleLimit(log, 1000).enforce()).isFalse();
    assertThat(log).hasContent("boot ok");
    assertThat(new ConsoleLimit(dir.resolve("absent"), 1).enforce()).isFalse();
  }
}
