package io.goldilocks.shim.plugins;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.BundleRevision;

/**
 * The steps that bring up the embedded framework, as one linear recipe: create Felix through
 * {@link FrameworkFactory}, start it, install the infrastructure bundles, start them in dependency order (Log Service,
 * then SCR, then FileInstall last, so plugins found in the bundle directory meet a running DS runtime).
 * Stateless; the caller owns the returned framework and must stop it.
 */
final class FelixBoot {
  /** Infrastructure bundles started in this order; every other infrastructure bundle is a library, resolved lazily. */
  private static final List<String> START_ORDER =
      List.of("org.apache.felix.log", "org.apache.felix.scr", "org.apache.felix.fileinstall");

  private FelixBoot() {}

  /** Framework properties: private cache, SPI exports, logging, FileInstall on the bundle directory. */
  static Map<String, Object> properties(PluginHostConfig config, FelixLogger logger) {
    Map<String, Object> props = new HashMap<>();
    props.put(Constants.FRAMEWORK_STORAGE, config.cacheDir().toAbsolutePath().toString());
    props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
    props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SystemPackages.extra());
    props.put("felix.log.logger", logger);
    props.put("felix.log.level", String.valueOf(FelixLogger.levelFor()));
    props.put("felix.fileinstall.dir", config.bundleDir().toAbsolutePath().toString());
    props.put("felix.fileinstall.poll", String.valueOf(config.pollInterval().toMillis()));
    props.put("felix.fileinstall.noInitialDelay", "true");
    props.put("felix.fileinstall.filter", ".*\\.jar");
    props.put("felix.fileinstall.bundles.new.start", "true");
    props.put("felix.fileinstall.tmpdir", config.cacheDir().resolve("fileinstall-tmp").toAbsolutePath().toString());
    props.put("felix.fileinstall.enableConfigSave", "false");
    props.put("felix.fileinstall.log.level", "2");
    return props;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static Framework create(PluginHostConfig config, FelixLogger logger) {
    FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class, FelixBoot.class.getClassLoader())
        .findFirst().orElseThrow(() -> new IllegalStateException("no OSGi FrameworkFactory on the class path"));
    // Felix takes the logger object through the same map as the string properties.
    return factory.newFramework((Map) properties(config, logger));
  }

  /** Installs every jar of the infrastructure directory and starts the ones in {@link #START_ORDER}. */
  static void installInfrastructure(BundleContext context, Path infraDir) throws BundleException, IOException {
    List<Bundle> installed = new ArrayList<>();
    for (Path jar : jars(infraDir)) {
      installed.add(context.installBundle(jar.toAbsolutePath().toUri().toString()));
    }
    for (String name : START_ORDER) {
      Bundle bundle = installed.stream().filter(b -> name.equals(b.getSymbolicName())).findFirst()
          .orElseThrow(() -> new BundleException("infrastructure bundle " + name + " is missing from " + infraDir));
      bundle.start();
    }
    for (Bundle bundle : installed) {
      if (!START_ORDER.contains(bundle.getSymbolicName()) && !isFragment(bundle) && bundle.getState() != Bundle.ACTIVE
          && bundle.getHeaders().get(Constants.BUNDLE_ACTIVATOR) != null) {
        bundle.start();
      }
    }
  }

  private static List<Path> jars(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("infrastructure bundle directory " + dir + " does not exist");
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted(Comparator.naturalOrder())
          .toList();
    }
  }

  private static boolean isFragment(Bundle bundle) {
    BundleRevision revision = bundle.adapt(BundleRevision.class);
    return revision != null && (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
  }
}
