package io.goldilocks.shim.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The pod's network namespace from an OCI bundle's {@code config.json}: the {@code linux.namespaces} entry
 * {@code {type: network, path: ...}} that CRI (or {@code ctr run --with-ns network:/var/run/netns/NAME}) puts into the
 * sandbox's first container. Without one the sandbox has loopback only. Stateless.
 */
public final class PodNetns {
  /** config.json is at most a few hundred KiB; a bigger one is not read for this. */
  static final long MAX_SPEC_BYTES = 4 << 20;

  private PodNetns() {}

  /** The network namespace path of the bundle's spec, if it names one. */
  public static Optional<Path> of(Path bundle) {
    Path spec = bundle.resolve("config.json");
    try {
      if (!Files.isRegularFile(spec) || Files.size(spec) > MAX_SPEC_BYTES) {
        return Optional.empty();
      }
      return fromSpec(new ObjectMapper().readTree(spec.toFile()));
    } catch (IOException e) {
      return Optional.empty(); // the Create that follows reports an unreadable spec
    }
  }

  static Optional<Path> fromSpec(JsonNode spec) {
    for (JsonNode ns : spec.path("linux").path("namespaces")) {
      String path = ns.path("path").asText("");
      if ("network".equals(ns.path("type").asText()) && path.startsWith("/")) {
        return Optional.of(Path.of(path));
      }
    }
    return Optional.empty();
  }
}
