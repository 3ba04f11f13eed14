package io.goldilocks.shim.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ShimFlagsTest {
  @Test
  void parsesStartAsContainerdPassesIt() {
    ShimFlags f = ShimFlags.parse(new String[] {"-namespace", "expctr", "-address", "/w/ctrd/containerd.sock",
        "-publish-binary", "/usr/bin/containerd", "-id", "p1", "-debug", "start"});
    assertThat(f.namespace()).isEqualTo("expctr");
    assertThat(f.address()).isEqualTo("/w/ctrd/containerd.sock");
    assertThat(f.id()).isEqualTo("p1");
    assertThat(f.debug()).isTrue();
    assertThat(f.action()).isEqualTo("start");
  }

  @Test
  void parsesDeleteWithBundleAndEqualsForms() {
    ShimFlags f = ShimFlags.parse(new String[] {"--namespace=k8s.io", "-address=/a", "-id", "c", "-bundle",
        "/b/c", "delete"});
    assertThat(f.namespace()).isEqualTo("k8s.io");
    assertThat(f.bundle()).contains(Path.of("/b/c"));
    assertThat(f.debug()).isFalse();
    assertThat(f.action()).isEqualTo("delete");
  }

  @Test
  void refusesUnknownFlagsAndMissingValues() {
    assertThatThrownBy(() -> ShimFlags.parse(new String[] {"-bogus", "start"}))
        .hasMessageContaining("-bogus");
    assertThatThrownBy(() -> ShimFlags.parse(new String[] {"-id"})).hasMessageContaining("needs an argument");
    assertThatThrownBy(() -> ShimFlags.parse(new String[] {"-id", "x", "start"}).requireIdentity())
        .hasMessageContaining("namespace");
  }
}
