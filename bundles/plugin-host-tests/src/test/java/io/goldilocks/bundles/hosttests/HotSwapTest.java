package io.goldilocks.bundles.hosttests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldilocks.shim.plugins.BundleInfo;
import io.goldilocks.shim.plugins.PluginRegistry;
import io.goldilocks.spi.PluginException;
import io.goldilocks.spi.device.DevicePlan;
import io.goldilocks.spi.device.DeviceRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replacing a bundle jar in the bundle directory swaps the plugin in the running host. */
class HotSwapTest {
  private static final String JAR = "goldilocks-example-hello.jar";
  private static final String SYMBOLIC_NAME = "io.goldilocks.bundles.example.hello";

  @TempDir Path tmp;

  @Test
  void newVersionDroppedOverTheOldServesTheNextContainer() throws Exception {
    try (PluginHostFixture fixture = new PluginHostFixture(tmp)) {
      fixture.dropShipped();
      PluginRegistry registry = fixture.registry();
      BundleInfo v1 = fixture.awaitBundle(b -> b.symbolicName().equals(SYMBOLIC_NAME) && b.healthy());
      assertThat(v1.version()).isEqualTo("1.0.0");
      DevicePlan before = plan(registry, Requests.cdi("c1", "example.com/hello=world"));
      assertThat(before.containerEnv()).containsEntry("HELLO_GREETING", "hello, world (example-hello 1)");

      fixture.drop("goldilocks-example-hello-v2.jar", JAR);

      BundleInfo v2 = fixture.awaitBundle(b -> b.symbolicName().equals(SYMBOLIC_NAME) && b.version().equals("2.0.0")
          && b.healthy());
      assertThat(v2.id()).as("updated in place, not installed beside").isEqualTo(v1.id());
      DevicePlan after = awaitGreeting(registry, Requests.cdi("c2", "example.com/hello=world"), "(example-hello 2)");
      assertThat(after.containerEnv()).containsEntry("HELLO_GREETING", "HELLO AGAIN, world (example-hello 2)");
      // the container planned before the swap keeps what it got; the other plugins never stopped serving
      assertThat(before.containerEnv()).containsEntry("HELLO_GREETING", "hello, world (example-hello 1)");
      assertThat(registry.storageFor(Requests.storage("c2")).name()).isEqualTo("virtiofs");
      assertThat(fixture.host.bundles()).filteredOn(b -> b.symbolicName().equals(SYMBOLIC_NAME)).hasSize(1);
    }
  }

  @Test
  void deletingTheJarRemovesThePluginAndLookupsSaySo() throws Exception {
    try (PluginHostFixture fixture = new PluginHostFixture(tmp)) {
      fixture.dropShipped();
      PluginRegistry registry = fixture.registry();
      fixture.awaitBundle(b -> b.symbolicName().equals(SYMBOLIC_NAME) && b.healthy());

      Files.delete(fixture.bundleDir.resolve(JAR));

      long deadline = System.nanoTime() + PluginHostFixture.WAIT.toNanos();
      while (fixture.host.bundles().stream().anyMatch(b -> b.symbolicName().equals(SYMBOLIC_NAME))
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(fixture.host.bundles()).noneMatch(b -> b.symbolicName().equals(SYMBOLIC_NAME));
      assertThatThrownBy(() -> registry.devicesFor(Requests.cdi("c3", "example.com/hello=world")))
          .isInstanceOf(PluginException.class).hasMessageContaining("no device plugin supports")
          .hasMessageContaining("gpu (bundle io.goldilocks.bundles.gpu");
    }
  }

  private static DevicePlan plan(PluginRegistry registry, DeviceRequest request) throws PluginException {
    return registry.devicesFor(request).plan(request);
  }

  /** The swap completes asynchronously (FileInstall poll, refresh, DS re-registration). */
  private static DevicePlan awaitGreeting(PluginRegistry registry, DeviceRequest request, String marker)
      throws Exception {
    long deadline = System.nanoTime() + PluginHostFixture.WAIT.toNanos();
    DevicePlan plan = null;
    while (System.nanoTime() < deadline) {
      try {
        plan = plan(registry, request);
        if (plan.containerEnv().getOrDefault("HELLO_GREETING", "").contains(marker)) {
          return plan;
        }
      } catch (PluginException e) {
        // between the old service going and the new one coming
      }
      Thread.sleep(50);
    }
    throw new AssertionError("greeting never showed " + marker + "; last plan " + plan);
  }
}
