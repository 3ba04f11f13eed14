package io.goldilocks.bundles.hosttests;

import io.goldilocks.shim.plugins.BundleInfo;
import io.goldilocks.shim.plugins.PluginHost;
import io.goldilocks.shim.plugins.PluginHostConfig;
import io.goldilocks.shim.plugins.PluginRegistry;
import io.goldilocks.spi.PluginException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A running plugin host like the shim's, on a temporary bundle directory, with the bundles this build produced
 * (target/test-bundles) to drop in the way an operator does: copy to a hidden temp name, then rename.
 */
final class PluginHostFixture implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final Path BUILT = Path.of(System.getProperty("goldilocks.test.bundles", "target/test-bundles"));
  static final Path INFRA = Path.of(System.getProperty("goldilocks.felix.infra", "../../shim/target/felix"));
  /** The plugin bundles we ship (example-hello-v2 is a test fixture, not shipped). */
  static final List<String> SHIPPED = List.of("goldilocks-storage-virtiofs.jar", "goldilocks-network-tcfilter.jar",
      "goldilocks-gpu.jar", "goldilocks-example-hello.jar");

  final Path bundleDir;
  final PluginHost host;

  PluginHostFixture(Path tmp) throws IOException {
    bundleDir = Files.createDirectories(tmp.resolve("bundles"));
    host = new PluginHost(new PluginHostConfig(bundleDir, INFRA, tmp.resolve("cache"), Duration.ofMillis(100),
        Optional.of(tmp.resolve("run/bundles.json"))), Duration.ofSeconds(5));
    host.start();
  }

  PluginRegistry registry() throws PluginException {
    return host.awaitRegistry(WAIT);
  }

  /** Drops a built bundle into the bundle directory as {@code name}, atomically. */
  void drop(String built, String name) throws IOException {
    Path tmp = bundleDir.resolve("." + name + ".part");
    Files.copy(BUILT.resolve(built), tmp, StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmp, bundleDir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  void dropShipped() throws IOException {
    for (String jar : SHIPPED) {
      drop(jar, jar);
    }
  }

  BundleInfo awaitBundle(Predicate<BundleInfo> match) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<BundleInfo> found = host.bundles().stream().filter(match).findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no bundle matched within " + WAIT + "; listing: " + host.bundles());
  }

  /** Waits until every bundle in the listing is ACTIVE with no error; returns the listing. */
  List<BundleInfo> awaitAllHealthy(int plugins) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<BundleInfo> listing = host.bundles();
    while (System.nanoTime() < deadline) {
      listing = host.bundles();
      long healthyPlugins = listing.stream().filter(b -> b.kind() == BundleInfo.Kind.PLUGIN && b.healthy()).count();
      if (healthyPlugins == plugins && listing.stream().allMatch(b -> b.healthy() || isLibrary(b))) {
        return listing;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("bundles not all healthy within " + WAIT + ": " + listing);
  }

  /** API bundles without an activator stay RESOLVED: that is healthy for a library. */
  private static boolean isLibrary(BundleInfo b) {
    return b.kind() == BundleInfo.Kind.INFRASTRUCTURE && b.state() == BundleInfo.State.RESOLVED
        && b.lastError().isEmpty();
  }

  @Override
  public void close() {
    host.close();
  }
}
