package io.goldilocks.shim.plugins;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a shim's plugin host finds its bundles: an installed prefix ({@code ${GOLDILOCKS_PREFIX:-/opt/goldilocks}}:
 * {@code bundles/} and {@code lib/felix/}), or, where no prefix is installed, a dev tree found from the working
 * directory or from the shim's own classes upwards: the shipped bundles' built jars ({@code bundles/<name>/target/*.jar}) and the infrastructure
 * bundles in {@code shim/target/felix}. Immutable.
 *
 * @param bundleDir the directory the host watches, when it already holds the bundles (an install)
 * @param devJars the built jars to copy into a private watched directory (a dev tree; empty for an install)
 * @param infraDir the infrastructure bundles
 */
public record PluginLocations(Optional<Path> bundleDir, List<Path> devJars, Path infraDir) {
  /** The bundles a dev tree ships (example-hello-v2 and plugin-host-tests are test fixtures). */
  static final List<String> SHIPPED = List.of("storage-virtiofs", "network-tcfilter", "gpu", "example-hello");

  public PluginLocations {
    devJars = List.copyOf(devJars);
  }

  /** From the environment ({@code GOLDILOCKS_PREFIX}) and the dev tree above {@code workDir}. */
  public static PluginLocations find(Map<String, String> env, Path workDir) {
    Path prefix = Path.of(env.getOrDefault("GOLDILOCKS_PREFIX", "/opt/goldilocks"));
    if (Files.isDirectory(prefix.resolve("bundles")) && Files.isDirectory(prefix.resolve("lib/felix"))) {
      return new PluginLocations(Optional.of(prefix.resolve("bundles")), List.of(), prefix.resolve("lib/felix"));
    }
    // containerd starts the shim in the task's bundle directory: search from our own classes too (a dev tree's
    // shim/target/classes)
    for (Path start : List.of(workDir.toAbsolutePath(), ownLocation())) {
      for (Path dir = start; dir != null; dir = dir.getParent()) {
        if (Files.isDirectory(dir.resolve("shim/target/felix")) && Files.isDirectory(dir.resolve("bundles"))) {
          return new PluginLocations(Optional.empty(), builtJars(dir.resolve("bundles")),
              dir.resolve("shim/target/felix"));
        }
      }
    }
    // Nothing found: the host fails to boot and says which directory is missing; the shim runs without plugins.
    return new PluginLocations(Optional.of(prefix.resolve("bundles")), List.of(), prefix.resolve("lib/felix"));
  }

  private static Path ownLocation() {
    try {
      return Path.of(PluginLocations.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return Path.of("/");
    }
  }

  private static List<Path> builtJars(Path bundles) {
    List<Path> jars = new ArrayList<>();
    for (String name : SHIPPED) {
      try (Stream<Path> files = Files.list(bundles.resolve(name).resolve("target"))) {
        files.filter(f -> f.getFileName().toString().endsWith(".jar"))
            .filter(f -> !f.getFileName().toString().matches(".*-(sources|tests|javadoc)\\.jar"))
            .forEach(jars::add);
      } catch (IOException e) {
        // not built: that plugin is missing, and an operation needing it says so
      }
    }
    return jars;
  }
}
