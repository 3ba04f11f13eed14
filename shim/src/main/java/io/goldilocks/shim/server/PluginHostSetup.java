package io.goldilocks.shim.server;

import io.goldilocks.shim.plugins.PluginHostConfig;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where this shim server's plugin host (docs/plugins.md) finds its bundles, derived from where the shim's own jar
 * is: an install ({@code <prefix>/lib/goldilocks-shim.jar}: infrastructure in {@code <prefix>/lib/felix}, plugins in
 * {@code <prefix>/bundles}) or a build tree ({@code shim/target}: {@code shim/target/felix}, plugins from
 * {@code GOLDILOCKS_BUNDLES_DIR} or {@code shim/target/bundles}). No infrastructure directory, or
 * {@code GOLDILOCKS_PLUGINS=off}: no plugin host.
 *
 * <p>Thread-safe (stateless).
 */
public final class PluginHostSetup {
  private PluginHostSetup() {}

  public static Optional<PluginHostConfig> config(Map<String, String> env, Path sandboxDir) {
    if ("off".equals(env.get("GOLDILOCKS_PLUGINS"))) {
      return Optional.empty();
    }
    Path home;
    try {
      home = Path.of(PluginHostSetup.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
    if (home == null || !Files.isDirectory(home.resolve("felix"))) {
      return Optional.empty();
    }
    if (home.getFileName().toString().equals("lib")) {
      return Optional.of(PluginHostConfig.forInstall(home.getParent(), sandboxDir));
    }
    Path bundles = Path.of(env.getOrDefault("GOLDILOCKS_BUNDLES_DIR", home.resolve("bundles").toString()));
    return Optional.of(new PluginHostConfig(bundles, home.resolve("felix"), sandboxDir.resolve("felix-cache"),
        Duration.ofSeconds(1), Optional.of(sandboxDir.resolve(PluginHostConfig.STATUS_FILE_NAME))));
  }
}
