package io.goldilocks.shim.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.goldilocks.spi.PluginException;
import io.goldilocks.spi.SandboxContext;
import io.goldilocks.spi.network.NetworkRequest;
import io.goldilocks.ttrpc.TtrpcException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk note that a sandbox's network is set up ({@code <sandboxDir>/network.json}: the netns), written before
 * QEMU starts and removed after the network plugin's teardown. When the shim server dies before its teardown (killed
 * by containerd's {@code delete} after the Shutdown), {@code delete} reads it and asks the network plugin to tear
 * down (plugins read their state back from the namespace), so no tap or tc filter outlives the sandbox.
 * Stateless.
 */
public final class NetworkRecord {
  static final String FILE = "network.json";
  private static final Logger log = LoggerFactory.getLogger(NetworkRecord.class);
  private static final Duration TEARDOWN_BOOT_WAIT = Duration.ofSeconds(20);

  private NetworkRecord() {}

  static void write(Path sandboxDir, Path netns) {
    try {
      Files.createDirectories(sandboxDir);
      Path tmp = sandboxDir.resolve(FILE + ".tmp");
      new ObjectMapper().writeValue(tmp.toFile(), Map.of("netns", netns.toString()));
      Files.move(tmp, sandboxDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      log.warn("cannot record the network of {}: {} (a crashed shim would leave its tap)", sandboxDir, e.toString());
    }
  }

  static void remove(Path sandboxDir) {
    try {
      Files.deleteIfExists(sandboxDir.resolve(FILE));
    } catch (IOException e) {
      log.warn("cannot remove {}: {}", sandboxDir.resolve(FILE), e.toString());
    }
  }

  /** The netns of a sandbox whose network was set up and not torn down. */
  public static Optional<Path> read(Path sandboxDir) {
    Path file = sandboxDir.resolve(FILE);
    try {
      if (!Files.isRegularFile(file) || Files.size(file) > 64 << 10) {
        return Optional.empty();
      }
      JsonNode node = new ObjectMapper().readTree(file.toFile());
      String netns = node.path("netns").asText("");
      return netns.startsWith("/") ? Optional.of(Path.of(netns)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Tears down a recorded network with a short-lived plugin host (only on this crash path: about a second). Errors
   * are logged: cleanup goes on.
   *
   * @param hostConfig the plugin host configuration (a private cache directory); empty when plugins are off
   */
  public static void tearDown(String sandboxId, Path sandboxDir, Path netns,
                              Supplier<Optional<PluginHostConfig>> hostConfig) {
    Optional<PluginHostConfig> config = hostConfig.get();
    if (config.isEmpty()) {
      log.error("sandbox {}: cannot tear down its network in {}: no plugin host", sandboxId, netns);
      return;
    }
    NetworkRequest request = new NetworkRequest(new SandboxContext(sandboxId, sandboxDir, Map.of()),
        Optional.of(netns));
    Path cache;
    try {
      cache = Files.createTempDirectory("goldilocks-teardown-");
    } catch (IOException e) {
      log.error("sandbox {}: cannot tear down its network in {}: {}", sandboxId, netns, e.toString());
      return;
    }
    // a private cache and no listing: the sandbox directory is being removed
    PluginHostConfig shortLived = new PluginHostConfig(config.get().bundleDir(), config.get().infraDir(),
        cache.resolve("felix-cache"), config.get().pollInterval(), Optional.empty());
    try (SandboxPlugins plugins = SandboxPlugins.start(shortLived, SandboxPlugins.LOOKUP_WAIT)) {
      plugins.registry(TEARDOWN_BOOT_WAIT).network(request).teardown(request);
      remove(sandboxDir);
      log.info("sandbox {}: network in {} torn down after its shim was gone", sandboxId, netns);
    } catch (PluginException | TtrpcException | RuntimeException e) {
      log.error("sandbox {}: network teardown in {} failed: {}", sandboxId, netns, e.getMessage());
    } finally {
      try {
        Files.deleteIfExists(cache);
      } catch (IOException e) {
        log.warn("cannot remove {}: {}", cache, e.toString());
      }
    }
  }
}
