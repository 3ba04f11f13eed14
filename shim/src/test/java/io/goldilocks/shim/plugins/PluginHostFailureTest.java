package io.goldilocks.shim.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldilocks.spi.PluginException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginHostFailureTest {
  @TempDir Path tmp;

  @Test
  void missingInfrastructureFailsTheHostNotTheCaller() {
    PluginHost host = new PluginHost(new PluginHostConfig(tmp.resolve("bundles"), tmp.resolve("no-such-dir"),
        tmp.resolve("cache"), Duration.ofMillis(100), Optional.empty()), Duration.ofSeconds(1));
    try (host) {
      host.start();
      assertThatThrownBy(() -> host.awaitRegistry(Duration.ofSeconds(30)))
          .isInstanceOf(PluginException.class)
          .hasMessageContaining("no-such-dir")
          .satisfies(e -> assertThat(((PluginException) e).reason()).isEqualTo(PluginException.Reason.UNAVAILABLE));
      assertThat(host.state()).isEqualTo(PluginHost.State.FAILED);
    }
    assertThat(host.state()).isEqualTo(PluginHost.State.STOPPED);
  }

  @Test
  void startTwiceIsRefused() {
    try (PluginHost host = new PluginHost(new PluginHostConfig(tmp.resolve("b"), tmp.resolve("i"), tmp.resolve("c"),
        Duration.ofMillis(100), Optional.empty()), Duration.ofSeconds(1))) {
      host.start();
      assertThatThrownBy(host::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot go from");
    }
  }
}
