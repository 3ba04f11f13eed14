package io.goldilocks.shim.plugins;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the plugin host finds its bundles and keeps its state.
 *
 * @param bundleDir the directory FileInstall watches for plugin bundles ({@code <prefix>/bundles}); dropping a jar
 *     there installs it, replacing it updates it, deleting it uninstalls it
 * @param infraDir the directory with the host's infrastructure bundles (Log Service, SCR and its APIs, FileInstall):
 *     {@code <prefix>/lib/felix}, or {@code shim/target/felix} in a build tree
 * @param cacheDir Felix's bundle cache, private to this host and wiped on start and close
 * @param pollInterval how often FileInstall scans {@code bundleDir}
 * @param statusFile where the host keeps its bundle listing for {@code goldilocks bundles}, refreshed on every
 *     change; empty for none
 */
public record PluginHostConfig(
    Path bundleDir, Path infraDir, Path cacheDir, Duration pollInterval, Optional<Path> statusFile) {
  /** The status file's name in a sandbox's runtime directory. */
  public static final String STATUS_FILE_NAME = "bundles.json";

  public PluginHostConfig {
    Objects.requireNonNull(bundleDir, "bundleDir");
    Objects.requireNonNull(infraDir, "infraDir");
    Objects.requireNonNull(cacheDir, "cacheDir");
    Objects.requireNonNull(pollInterval, "pollInterval");
    Objects.requireNonNull(statusFile, "statusFile");
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("poll interval must be positive: " + pollInterval);
    }
  }

  /**
   * The host of an installed shim: bundles from {@code <prefix>/bundles}, infrastructure from
   * {@code <prefix>/lib/felix}, cache and status file in the sandbox's runtime directory.
   */
  public static PluginHostConfig forInstall(Path prefix, Path sandboxRunDir) {
    return new PluginHostConfig(prefix.resolve("bundles"), prefix.resolve("lib/felix"),
        sandboxRunDir.resolve("felix-cache"), Duration.ofSeconds(1),
        Optional.of(sandboxRunDir.resolve(STATUS_FILE_NAME)));
  }
}
