package io.goldilocks.bundles.hosttests;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldilocks.shim.plugins.BundleInfo;
import io.goldilocks.shim.plugins.PluginRegistry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bundle we ship resolves, starts and serves in the real plugin host (Felix + SCR + FileInstall). */
class EveryBundleTest {
  @TempDir Path tmp;

  @Test
  void everyShippedBundleIsActiveAndServes() throws Exception {
    try (PluginHostFixture fixture = new PluginHostFixture(tmp)) {
      fixture.dropShipped();

      List<BundleInfo> listing = fixture.awaitAllHealthy(PluginHostFixture.SHIPPED.size());
      assertThat(listing).filteredOn(b -> b.kind() == BundleInfo.Kind.PLUGIN).extracting(BundleInfo::symbolicName)
          .containsExactlyInAnyOrder("io.goldilocks.bundles.storage.virtiofs", "io.goldilocks.bundles.network.tcfilter",
              "io.goldilocks.bundles.gpu", "io.goldilocks.bundles.example.hello");

      PluginRegistry registry = fixture.registry();
      assertThat(registry.storageFor(Requests.storage("c1")).name()).isEqualTo("virtiofs");
      assertThat(registry.storageFor(Requests.storage("c1")).plan(Requests.storage("c1")).guestRootfs())
          .isEqualTo("/run/goldilocks/shared/c1/rootfs");
      assertThat(registry.network(Requests.loopbackNetwork()).setup(Requests.loopbackNetwork()).isLoopbackOnly())
          .isTrue();
      assertThat(registry.devicesFor(Requests.cdi("c1", "nvidia.com/gpu=0")).name()).isEqualTo("gpu");
      assertThat(registry.devicesFor(Requests.cdi("c1", "example.com/hello=world")).name()).isEqualTo("hello");
    }
  }
}
