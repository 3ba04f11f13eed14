package io.goldilocks.shim.plugins;

import io.goldilocks.shim.sandbox.GoldilocksConfig;
import io.goldilocks.shim.sandbox.SandboxConfig;
import io.goldilocks.ttrpc.TtrpcException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the shim server's plugin host in its sandbox's runtime directory. Stateless. */
public final class ShimPlugins {
  private static final Logger log = LoggerFactory.getLogger(ShimPlugins.class);

  private ShimPlugins() {}

  /**
   * The plugin host of sandbox {@code sandboxId}, booting in the background. A configuration that cannot be read
   * leaves the default runtime root; the sandbox's own boot reports the configuration error.
   */
  public static SandboxPlugins start(String sandboxId) {
    Path sandboxDir;
    try {
      sandboxDir = GoldilocksConfig.load().sandbox(sandboxId).build().sandboxDir();
    } catch (TtrpcException e) {
      log.warn("plugin host of {}: configuration: {}", sandboxId, e.getMessage());
      sandboxDir = Path.of("/run/goldilocks/sandbox", sandboxId);
    }
    return SandboxPlugins.start(PluginLocations.find(System.getenv(), Path.of("")), sandboxDir);
  }
}
