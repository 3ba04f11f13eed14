package io.goldilocks.shim.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StdioTargetTest {
  @Test
  void readsTheFormsContainerdSends() {
    assertThat(StdioTarget.parse("")).isInstanceOf(StdioTarget.None.class);
    assertThat(StdioTarget.parse("/run/containerd/fifo/1/c1-stdout"))
        .isEqualTo(new StdioTarget.Fifo(Path.of("/run/containerd/fifo/1/c1-stdout")));
    assertThat(StdioTarget.parse("fifo:///x/y")).isEqualTo(new StdioTarget.Fifo(Path.of("/x/y")));
    assertThat(StdioTarget.parse("file:///var/log/c1.log")).isEqualTo(new StdioTarget.File(Path.of("/var/log/c1.log")));
    assertThat(StdioTarget.parse("binary:///usr/bin/logger?tag=c%201&debug"))
        .isEqualTo(new StdioTarget.Binary(Path.of("/usr/bin/logger"), java.util.List.of("tag", "c 1", "debug")));
  }

  @Test
  void refusesUnknownSchemesAndRelativePaths() {
    assertThatThrownBy(() -> StdioTarget.parse("http://x/y")).hasMessageContaining("unsupported");
    assertThatThrownBy(() -> StdioTarget.parse("file:relative")).hasMessageContaining("absolute");
  }
}
