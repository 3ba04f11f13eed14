package io.goldilocks.shim.plugins;

import io.goldilocks.spi.PluginException;
import io.goldilocks.ttrpc.TtrpcException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sandbox's plugin host (one per shim): started early, off the critical path, in the sandbox's runtime directory
 * (Felix cache, {@code bundles.json}); closed on every exit path (Felix's dispatch thread is not a daemon, a host left
 * open keeps the JVM alive). In a dev tree the built jars are copied into {@code <sandboxDir>/dev-bundles}, which the
 * host then watches. Thread-safe (the host is).
 */
public final class SandboxPlugins implements AutoCloseable {
  /** How long the first plugin call waits for the host's boot (Felix + SCR + FileInstall take about a second). */
  static final Duration BOOT_WAIT = Duration.ofSeconds(30);
  /** How long a lookup waits for a plugin to register (after the boot or a swap). */
  static final Duration LOOKUP_WAIT = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(SandboxPlugins.class);

  /** Null when disabled. */
  private final PluginHost host;
  /** Why there is no host (when {@code host} is null). */
  private final String disabledReason;
  private final Path sandboxDir;
  private final Optional<Path> devBundleDir;

  private SandboxPlugins(PluginHost host, String disabledReason, Path sandboxDir, Optional<Path> devBundleDir) {
    this.host = host;
    this.disabledReason = disabledReason;
    this.sandboxDir = sandboxDir;
    this.devBundleDir = devBundleDir;
  }

  /** No plugin host (switched off, or no infrastructure bundles): every lookup fails UNAVAILABLE with {@code why}. */
  public static SandboxPlugins disabled(String why) {
    return new SandboxPlugins(null, why, null, Optional.empty());
  }

  /** A host on a ready configuration (the shim server's, from its own install or build tree). */
  public static SandboxPlugins start(PluginHostConfig config, Duration lookupWait) {
    PluginHost host = new PluginHost(config, lookupWait);
    host.start();
    return new SandboxPlugins(host, null, null, Optional.empty());
  }

  /** Starts the host in the background; returns at once. A host that cannot boot leaves lookups UNAVAILABLE. */
  public static SandboxPlugins start(PluginLocations where, Path sandboxDir) {
    Optional<Path> devDir = Optional.empty();
    Path bundleDir = where.bundleDir().orElse(sandboxDir.resolve("dev-bundles"));
    try {
      Files.createDirectories(sandboxDir);
      if (where.bundleDir().isEmpty()) {
        devDir = Optional.of(bundleDir);
        Files.createDirectories(bundleDir);
        for (Path jar : where.devJars()) {
          Files.copy(jar, bundleDir.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      log.warn("plugin host of {}: cannot prepare {}: {}", sandboxDir.getFileName(), bundleDir, e.toString());
    }
    PluginHostConfig config = new PluginHostConfig(bundleDir, where.infraDir(), sandboxDir.resolve("felix-cache"),
        Duration.ofSeconds(1), Optional.of(sandboxDir.resolve(PluginHostConfig.STATUS_FILE_NAME)));
    PluginHost host = new PluginHost(config, LOOKUP_WAIT);
    host.start();
    log.info("plugin host of sandbox {}: bundles from {}", sandboxDir.getFileName(), bundleDir);
    return new SandboxPlugins(host, null, sandboxDir, devDir);
  }

  /**
   * The registry, once the host runs.
   *
   * @throws TtrpcException UNAVAILABLE when the host did not boot (the cause says why)
   */
  public PluginRegistry registry() throws TtrpcException {
    return registry(BOOT_WAIT);
  }

  PluginRegistry registry(Duration bootWait) throws TtrpcException {
    if (host == null) {
      throw new TtrpcException(io.goldilocks.ttrpc.Code.UNAVAILABLE, "no plugins: " + disabledReason);
    }
    try {
      return host.awaitRegistry(bootWait);
    } catch (PluginException e) {
      throw PluginErrors.toTtrpc(e);
    }
  }

  public List<BundleInfo> bundles() {
    return host == null ? List.of() : host.bundles();
  }

  /** Stops the host; removes the listing, the dev bundle copy and the sandbox directory when nothing else is left. */
  @Override
  public synchronized void close() { // synchronized: a second closer (Ctrl-C's hook, main) waits for the first
    if (host == null) {
      return;
    }
    host.close();
    if (sandboxDir == null) {
      return; // the owner of the configuration removes its files
    }
    try {
      Files.deleteIfExists(sandboxDir.resolve(PluginHostConfig.STATUS_FILE_NAME));
      if (devBundleDir.isPresent()) {
        try (Stream<Path> jars = Files.list(devBundleDir.get())) {
          for (Path jar : jars.toList()) {
            Files.deleteIfExists(jar);
          }
        }
        Files.deleteIfExists(devBundleDir.get());
      }
      try (Stream<Path> left = Files.list(sandboxDir)) {
        if (left.findAny().isEmpty()) {
          Files.deleteIfExists(sandboxDir);
        }
      }
    } catch (IOException e) {
      log.warn("plugin host of {}: cleanup: {}", sandboxDir.getFileName(), e.toString());
    }
  }
}
