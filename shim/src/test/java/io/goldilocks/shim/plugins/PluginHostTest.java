package io.goldilocks.shim.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldilocks.spi.PluginException;
import io.goldilocks.spi.SandboxContext;
import io.goldilocks.spi.storage.StorageRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin host with the real Felix, SCR and FileInstall from target/felix, and broken plugin jars. */
class PluginHostTest {
  private static final Path INFRA = Path.of("target/felix");
  private static final Duration BOOT = Duration.ofSeconds(30);

  @TempDir Path tmp;
  private Path bundleDir;
  private PluginHost host;

  @BeforeEach
  void startHost() throws Exception {
    bundleDir = Files.createDirectories(tmp.resolve("bundles"));
    host = new PluginHost(new PluginHostConfig(bundleDir, INFRA, tmp.resolve("cache"), Duration.ofMillis(100),
        Optional.of(tmp.resolve("run/bundles.json"))), Duration.ofSeconds(2));
    host.start();
    host.awaitRegistry(BOOT);
  }

  @AfterEach
  void stopHost() {
    host.close();
  }

  @Test
  void infrastructureBundlesRunAndAreListed() {
    assertThat(host.state()).isEqualTo(PluginHost.State.RUNNING);
    List<BundleInfo> bundles = host.bundles();
    assertThat(bundles).filteredOn(b -> b.kind() == BundleInfo.Kind.INFRASTRUCTURE)
        .extracting(BundleInfo::symbolicName)
        .contains("org.apache.felix.scr", "org.apache.felix.fileinstall", "org.apache.felix.log",
            "org.osgi.service.component", "org.osgi.util.promise", "org.osgi.util.function");
    assertThat(bundles).filteredOn(b -> b.symbolicName().equals("org.apache.felix.scr")).singleElement()
        .satisfies(b -> assertThat(b.state()).isEqualTo(BundleInfo.State.ACTIVE));
  }

  @Test
  void unresolvableBundleIsListedWithItsMissingRequirementAndNamedByLookups() throws Exception {
    Path jar = TestBundles.manifestOnly(tmp.resolve("needs-spi-2.jar"), Map.of(
        "Bundle-ManifestVersion", "2",
        "Bundle-SymbolicName", "test.needs.spi2",
        "Bundle-Version", "1.0.0",
        "Import-Package", "io.goldilocks.spi.storage;version=\"[2.0,3)\""));
    TestBundles.drop(jar, bundleDir, "needs-spi-2.jar");

    BundleInfo info = awaitBundle(b -> b.symbolicName().equals("test.needs.spi2") && !b.lastError().isEmpty());
    assertThat(info.state()).isEqualTo(BundleInfo.State.INSTALLED);
    assertThat(info.kind()).isEqualTo(BundleInfo.Kind.PLUGIN);
    assertThat(info.lastError()).contains("io.goldilocks.spi.storage");

    StorageRequest request = new StorageRequest(new SandboxContext("sb1", tmp, Map.of()), "c1", tmp, List.of(),
        List.of());
    assertThatThrownBy(() -> host.awaitRegistry(BOOT).storageFor(request))
        .isInstanceOf(PluginException.class)
        .hasMessageContaining("no storage plugin supports container c1")
        .hasMessageContaining("test.needs.spi2 1.0.0 (INSTALLED)")
        .satisfies(e -> assertThat(((PluginException) e).reason())
            .isEqualTo(PluginException.Reason.FAILED_PRECONDITION));
    assertThat(host.state()).isEqualTo(PluginHost.State.RUNNING);
  }

  @Test
  void garbageJarIsListedAsNotInstalledAndTheHostKeepsRunning() throws Exception {
    Path garbage = Files.writeString(tmp.resolve("garbage.jar"), "this is not a zip file");
    TestBundles.drop(garbage, bundleDir, "garbage.jar");
    Path plain = TestBundles.manifestOnly(tmp.resolve("plain.jar"), Map.of("Created-By", "test"));
    TestBundles.drop(plain, bundleDir, "plain.jar");

    BundleInfo broken = awaitBundle(b -> b.symbolicName().equals("garbage.jar"));
    assertThat(broken.state()).isEqualTo(BundleInfo.State.NOT_INSTALLED);
    assertThat(broken.lastError()).startsWith("not a readable jar");
    BundleInfo notBundle = awaitBundle(b -> b.symbolicName().equals("plain.jar"));
    assertThat(notBundle.lastError()).contains("no Bundle-SymbolicName");
    assertThat(host.state()).isEqualTo(PluginHost.State.RUNNING);
  }

  @Test
  void statusFileFollowsTheListing() throws Exception {
    Path status = tmp.resolve("run/bundles.json");
    Path jar = TestBundles.manifestOnly(tmp.resolve("lib.jar"), Map.of(
        "Bundle-ManifestVersion", "2", "Bundle-SymbolicName", "test.library", "Bundle-Version", "3.1.0",
        "Export-Package", "test.library;version=3.1.0"));
    TestBundles.drop(jar, bundleDir, "lib.jar");

    long deadline = System.nanoTime() + BOOT.toNanos();
    List<BundleInfo> listed = List.of();
    while (System.nanoTime() < deadline) {
      listed = Files.exists(status) ? BundleStatusFile.read(status) : List.of();
      if (listed.stream().anyMatch(b -> b.symbolicName().equals("test.library") && b.state()
          == BundleInfo.State.ACTIVE)) {
        break;
      }
      Thread.sleep(50);
    }
    assertThat(listed).anySatisfy(b -> {
      assertThat(b.symbolicName()).isEqualTo("test.library");
      assertThat(b.version()).isEqualTo("3.1.0");
      assertThat(b.state()).isEqualTo(BundleInfo.State.ACTIVE);
    });
  }

  @Test
  void closeStopsTheFrameworkAndRemovesItsCache() {
    host.close();
    assertThat(host.state()).isEqualTo(PluginHost.State.STOPPED);
    assertThat(tmp.resolve("cache")).doesNotExist();
    assertThatThrownBy(() -> host.awaitRegistry(Duration.ofMillis(10))).isInstanceOf(PluginException.class)
        .satisfies(e -> assertThat(((PluginException) e).reason()).isEqualTo(PluginException.Reason.UNAVAILABLE));
  }

  private BundleInfo awaitBundle(Predicate<BundleInfo> match) throws InterruptedException {
    long deadline = System.nanoTime() + BOOT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<BundleInfo> found = host.bundles().stream().filter(match).findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no bundle matched within " + BOOT + "; listing: " + host.bundles());
  }
}
