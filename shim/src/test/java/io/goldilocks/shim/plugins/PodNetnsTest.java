package io.goldilocks.shim.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodNetnsTest {
  @TempDir Path bundle;

  @Test
  void theNetworkNamespacePathOfTheSpecIsThePods() throws Exception {
    Files.writeString(bundle.resolve("config.json"), """
        {"linux": {"namespaces": [{"type": "pid"}, {"type": "ipc", "path": "/proc/1/ns/ipc"},
          {"type": "network", "path": "/var/run/netns/cni-1234"}]}}""");
    assertThat(PodNetns.of(bundle)).contains(Path.of("/var/run/netns/cni-1234"));
  }

  @Test
  void aFreshNetworkNamespaceOrNoneOrNoSpecMeansLoopbackOnly() throws Exception {
    assertThat(PodNetns.of(bundle)).isEmpty();
    Files.writeString(bundle.resolve("config.json"), "{\"linux\": {\"namespaces\": [{\"type\": \"network\"}]}}");
    assertThat(PodNetns.of(bundle)).isEmpty();
    Files.writeString(bundle.resolve("config.json"), "{not json");
    assertThat(PodNetns.of(bundle)).isEmpty();
  }
}
