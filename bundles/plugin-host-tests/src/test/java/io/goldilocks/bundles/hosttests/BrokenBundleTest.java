package io.goldilocks.bundles.hosttests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldilocks.shim.plugins.BundleInfo;
import io.goldilocks.shim.plugins.PluginHost;
import io.goldilocks.shim.plugins.PluginRegistry;
import io.goldilocks.spi.PluginException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken jars dropped beside working plugins: the host runs on, the listing shows why, the others serve. */
class BrokenBundleTest {
  @TempDir Path tmp;

  @Test
  void brokenJarsAreListedWithTheirErrorsAndTheOtherPluginsStillWork() throws Exception {
    try (PluginHostFixture fixture = new PluginHostFixture(tmp)) {
      fixture.dropShipped();
      fixture.awaitAllHealthy(PluginHostFixture.SHIPPED.size());

      Files.writeString(fixture.bundleDir.resolve("truncated.jar"), "PK\u0003\u0004 not really a zip");
      writeBundle(fixture.bundleDir.resolve("storage-for-spi-2.jar"), "com.example.storage.next",
          "io.goldilocks.spi.storage;version=\"[2.0,3)\"");

      BundleInfo truncated = fixture.awaitBundle(b -> b.symbolicName().equals("truncated.jar"));
      assertThat(truncated.state()).isEqualTo(BundleInfo.State.NOT_INSTALLED);
      assertThat(truncated.lastError()).startsWith("not a readable jar");
      BundleInfo unresolved = fixture.awaitBundle(b -> b.symbolicName().equals("com.example.storage.next")
          && !b.lastError().isEmpty());
      assertThat(unresolved.state()).isEqualTo(BundleInfo.State.INSTALLED);
      assertThat(unresolved.lastError()).contains("missing requirement").contains("io.goldilocks.spi.storage");

      assertThat(fixture.host.state()).isEqualTo(PluginHost.State.RUNNING);
      PluginRegistry registry = fixture.registry();
      assertThat(registry.storageFor(Requests.storage("c1")).name()).isEqualTo("virtiofs");
      assertThat(registry.devicesFor(Requests.cdi("c1", "example.com/hello=world")).name()).isEqualTo("hello");
      // a request nobody serves names the broken bundle, so the operator knows where to look
      assertThatThrownBy(() -> registry.devicesFor(Requests.cdi("c1", "example.com/unknown=x")))
          .isInstanceOf(PluginException.class)
          .hasMessageContaining("com.example.storage.next 1.0.0 (INSTALLED)")
          .hasMessageContaining("truncated.jar (NOT_INSTALLED)");
    }
  }

  /** A manifest-only bundle importing a package range no host exports. */
  private static void writeBundle(Path jar, String symbolicName, String importPackage) throws Exception {
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.putValue("Bundle-ManifestVersion", "2");
    main.putValue("Bundle-SymbolicName", symbolicName);
    main.putValue("Bundle-Version", "1.0.0");
    main.putValue("Import-Package", importPackage);
    Path part = jar.resolveSibling("." + jar.getFileName() + ".part");
    try (OutputStream out = Files.newOutputStream(part); JarOutputStream j = new JarOutputStream(out, manifest)) {
      j.flush();
    }
    Files.move(part, jar, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
