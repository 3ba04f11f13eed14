package io.goldilocks.shim.plugins;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.wiring.BundleRevision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows what is wrong with each bundle: the last error per bundle (from the framework, the Log Service and our own
 * start attempts), and the jars in the bundle directory the framework refused. Builds the bundle listing.
 *
 * <p>A plugin bundle that stays INSTALLED (unresolvable) or RESOLVED (its activator failed) is diagnosed by a
 * transient start on the host's executor shortly after it appears: the framework's exception names the missing
 * requirement. Thread-safe: the error map is concurrent; events arrive on framework threads.
 */
final class BundleDiagnostics implements SynchronousBundleListener, FrameworkListener {
  private static final Logger LOG = LoggerFactory.getLogger(BundleDiagnostics.class);
  private static final long DIAGNOSE_DELAY_MS = 300;
  private static final int MAX_ERROR_CHARS = 2_000;

  private final BundleContext context;
  private final Path bundleDir;
  private final Path infraDir;
  private final ScheduledExecutorService executor;
  private final Runnable onChange;
  private final Map<Long, String> lastErrors = new ConcurrentHashMap<>();

  BundleDiagnostics(BundleContext context, PluginHostConfig config, ScheduledExecutorService executor,
      Runnable onChange) {
    this.context = context;
    this.bundleDir = config.bundleDir().toAbsolutePath().normalize();
    this.infraDir = config.infraDir().toAbsolutePath().normalize();
    this.executor = executor;
    this.onChange = onChange;
  }

  /** Records {@code message} as the bundle's last error (the system bundle's errors are only logged). */
  void recordError(Bundle bundle, String message) {
    if (bundle.getBundleId() == 0) {
      return;
    }
    String text = message == null ? "unknown error" : message;
    lastErrors.put(bundle.getBundleId(), text.length() > MAX_ERROR_CHARS ? text.substring(0, MAX_ERROR_CHARS) : text);
    onChange.run();
  }

  @Override
  public void bundleChanged(BundleEvent event) {
    Bundle bundle = event.getBundle();
    switch (event.getType()) {
      case BundleEvent.INSTALLED, BundleEvent.UPDATED -> {
        lastErrors.remove(bundle.getBundleId());
        if (isPlugin(bundle)) {
          executor.schedule(() -> diagnose(bundle), DIAGNOSE_DELAY_MS, TimeUnit.MILLISECONDS);
        }
      }
      case BundleEvent.UNINSTALLED -> lastErrors.remove(bundle.getBundleId());
      default -> { }
    }
    onChange.run();
  }

  @Override
  public void frameworkEvent(FrameworkEvent event) {
    if (event.getType() == FrameworkEvent.ERROR && event.getBundle() != null) {
      Throwable t = event.getThrowable();
      LOG.error("bundle {}: framework error", event.getBundle().getSymbolicName(), t);
      recordError(event.getBundle(), t == null ? "framework error" : t.getMessage());
    } else if (event.getType() == FrameworkEvent.WARNING) {
      LOG.warn("framework warning from {}", event.getBundle(), event.getThrowable());
    }
  }

  /** Tries a transient start of a plugin that should be ACTIVE but is not; records why it cannot start. */
  private void diagnose(Bundle bundle) {
    int state = bundle.getState();
    if ((state != Bundle.INSTALLED && state != Bundle.RESOLVED) || isFragment(bundle)) {
      return;
    }
    try {
      bundle.start(Bundle.START_TRANSIENT);
    } catch (BundleException | IllegalStateException e) {
      LOG.error("plugin bundle {} {} cannot start: {}", bundle.getSymbolicName(), bundle.getVersion(),
          e.getMessage());
      recordError(bundle, e.getMessage());
    }
  }

  /** The listing: every installed bundle except the system bundle, then the bundle directory's refused jars. */
  List<BundleInfo> listing() {
    List<BundleInfo> infos = new ArrayList<>();
    Set<Path> installedFiles = new HashSet<>();
    for (Bundle bundle : context.getBundles()) {
      if (bundle.getBundleId() == 0) {
        continue;
      }
      Path file = fileOf(bundle.getLocation());
      if (file != null) {
        installedFiles.add(file);
      }
      infos.add(new BundleInfo(bundle.getBundleId(), String.valueOf(bundle.getSymbolicName()),
          bundle.getVersion().toString(), stateOf(bundle), isPlugin(bundle) ? BundleInfo.Kind.PLUGIN
          : BundleInfo.Kind.INFRASTRUCTURE, bundle.getLocation(), lastErrors.getOrDefault(bundle.getBundleId(), "")));
    }
    for (Path jar : jarsInBundleDir()) {
      if (!installedFiles.contains(jar)) {
        infos.add(new BundleInfo(-1, jar.getFileName().toString(), "", BundleInfo.State.NOT_INSTALLED,
            BundleInfo.Kind.PLUGIN, jar.toString(), whyNotInstalled(jar)));
      }
    }
    return infos;
  }

  boolean isPlugin(Bundle bundle) {
    Path file = fileOf(bundle.getLocation());
    return file != null && !file.startsWith(infraDir) && file.startsWith(bundleDir);
  }

  private List<Path> jarsInBundleDir() {
    if (!Files.isDirectory(bundleDir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(bundleDir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
    } catch (IOException e) {
      LOG.warn("cannot list the bundle directory {}", bundleDir, e);
      return List.of();
    }
  }

  /** Why a jar in the bundle directory has no bundle: what a plugin author needs to fix. */
  static String whyNotInstalled(Path jar) {
    try (JarFile jarFile = new JarFile(jar.toFile())) {
      Manifest manifest = jarFile.getManifest();
      if (manifest == null) {
        return "not an OSGi bundle: the jar has no META-INF/MANIFEST.MF";
      }
      if (manifest.getMainAttributes().getValue("Bundle-SymbolicName") == null) {
        return "not an OSGi bundle: the manifest has no Bundle-SymbolicName";
      }
      return "not installed (yet): the framework refused it or FileInstall has not scanned it; see the shim log";
    } catch (IOException e) {
      return "not a readable jar: " + e.getMessage();
    }
  }

  /** The file a bundle location names ({@code file:} URI or plain path); null for other locations. */
  static Path fileOf(String location) {
    try {
      if (location.startsWith("file:")) {
        return Path.of(URI.create(location)).toAbsolutePath().normalize();
      }
      return location.startsWith("/") ? Path.of(location).normalize() : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static boolean isFragment(Bundle bundle) {
    BundleRevision revision = bundle.adapt(BundleRevision.class);
    return revision != null && (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
  }

  private static BundleInfo.State stateOf(Bundle bundle) {
    return switch (bundle.getState()) {
      case Bundle.INSTALLED -> BundleInfo.State.INSTALLED;
      case Bundle.RESOLVED -> BundleInfo.State.RESOLVED;
      case Bundle.STARTING -> BundleInfo.State.STARTING;
      case Bundle.STOPPING -> BundleInfo.State.STOPPING;
      case Bundle.ACTIVE -> BundleInfo.State.ACTIVE;
      default -> BundleInfo.State.UNINSTALLED;
    };
  }
}
