package io.goldilocks.shim.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.goldilocks.ttrpc.TtrpcException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Host-wide defaults for sandboxes: guest image location, sizes, deadlines. Immutable, thread-safe.
 *
 * <p>Sources, later ones winning: built-in defaults; the TOML file {@code $GOLDILOCKS_CONFIG}, else {@code
 * ${GOLDILOCKS_PREFIX:-/opt/goldilocks}/etc/goldilocks.toml} when it exists; environment variables:
 *
 * <pre>
 * # goldilocks.toml                    environment override
 * [guest]
 * dir = "/opt/goldilocks/share/guest"  # GOLDILOCKS_GUEST_DIR   (holds vmlinuz and initrd.img)
 * [sandbox]
 * vcpus = 1                            # GOLDILOCKS_VCPUS
 * memory_mib = 512                     # GOLDILOCKS_MEMORY_MIB
 * boot_timeout_seconds = 60            # GOLDILOCKS_BOOT_TIMEOUT_SECONDS
 * health_interval_seconds = 2
 * health_timeout_seconds = 10
 * call_timeout_seconds = 30
 * [runtime]
 * dir = "/run/goldilocks"              # GOLDILOCKS_RUNTIME_DIR  (sandbox/<id>, vm/<id> below it)
 * </pre>
 *
 * <p>Without an explicit guest directory the first complete one of {@code ${GOLDILOCKS_PREFIX:-/opt/goldilocks}/
 * share/guest} and a dev tree's {@code packaging/target/guest} (searched from the working directory upwards) is used.
 */
public final class GoldilocksConfig {
  static final String DEV_GUEST_DIR = "packaging/target/guest";

  private final SandboxConfig defaults;
  private final List<Path> guestCandidates;

  private GoldilocksConfig(SandboxConfig defaults, List<Path> guestCandidates) {
    this.defaults = defaults;
    this.guestCandidates = List.copyOf(guestCandidates);
  }

  /** Loads from the process environment and the config file it names. */
  public static GoldilocksConfig load() throws TtrpcException {
    return load(System.getenv(), Path.of("").toAbsolutePath());
  }

  /**
   * Loads from the given environment; {@code workDir} is where the dev-tree search starts.
   *
   * @throws TtrpcException INVALID_ARGUMENT for an unreadable or malformed config file or a bad value
   */
  public static GoldilocksConfig load(Map<String, String> env, Path workDir) throws TtrpcException {
    Path prefix = Path.of(env.getOrDefault("GOLDILOCKS_PREFIX", "/opt/goldilocks"));
    JsonNode file = readFile(env, prefix);
    Settings s = new Settings(env, file);
    List<Path> guestDirs = new ArrayList<>();
    String explicit = s.string("GOLDILOCKS_GUEST_DIR", "guest", "dir");
    if (explicit != null) {
      guestDirs.add(Path.of(explicit));
    } else {
      guestDirs.add(prefix.resolve("share/guest"));
      for (Path dir = workDir; dir != null; dir = dir.getParent()) {
        guestDirs.add(dir.resolve(DEV_GUEST_DIR));
      }
    }
    Path guestDir = guestDirs.stream().filter(d -> GuestImage.in(d).isComplete()).findFirst().orElse(guestDirs.get(0));
    SandboxConfig defaults = new SandboxConfig(
        "defaults",
        s.integer("GOLDILOCKS_VCPUS", "sandbox", "vcpus", 1),
        s.integer("GOLDILOCKS_MEMORY_MIB", "sandbox", "memory_mib", 512),
        GuestImage.in(guestDir),
        Path.of(orDefault(s.string("GOLDILOCKS_RUNTIME_DIR", "runtime", "dir"), "/run/goldilocks")),
        Duration.ofSeconds(s.integer("GOLDILOCKS_BOOT_TIMEOUT_SECONDS", "sandbox", "boot_timeout_seconds", 60)),
        Duration.ofSeconds(s.integer(null, "sandbox", "health_interval_seconds", 2)),
        Duration.ofSeconds(s.integer(null, "sandbox", "health_timeout_seconds", 10)),
        Duration.ofSeconds(s.integer(null, "sandbox", "call_timeout_seconds", 30)));
    return new GoldilocksConfig(defaults, explicit != null ? List.of(guestDirs.get(0)) : guestDirs);
  }

  /** A sandbox builder preset with these defaults. */
  public SandboxConfig.Builder sandbox(String id) {
    return new SandboxConfig.Builder(id, defaults);
  }

  /** The guest image sandboxes boot by default (possibly incomplete: see {@link #requireGuestImage()}). */
  public GuestImage guestImage() {
    return defaults.guestImage();
  }

  /**
   * The default guest image, checked.
   *
   * @throws TtrpcException FAILED_PRECONDITION naming the missing file and the places searched
   */
  public GuestImage requireGuestImage() throws TtrpcException {
    return requireComplete(defaults.guestImage(), guestCandidates);
  }

  /**
   * Checks that an image's files exist.
   *
   * @throws TtrpcException FAILED_PRECONDITION naming the missing file
   */
  public static GuestImage requireComplete(GuestImage image, List<Path> searched) throws TtrpcException {
    for (Path file : image.files()) {
      if (!Files.isRegularFile(file)) {
        throw TtrpcException.failedPrecondition(
            "guest %s not found: %s (searched %s; set GOLDILOCKS_GUEST_DIR or build the guest image with "
                + "`mvn -B -pl packaging -am verify`)",
            file.getFileName(), file, searched.isEmpty() ? List.of(file.getParent()) : searched);
      }
    }
    return image;
  }

  private static JsonNode readFile(Map<String, String> env, Path prefix) throws TtrpcException {
    String named = env.get("GOLDILOCKS_CONFIG");
    Path file = named != null ? Path.of(named) : prefix.resolve("etc/goldilocks.toml");
    if (named == null && !Files.exists(file)) {
      return null;
    }
    try {
      return new TomlMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new TtrpcException(io.goldilocks.ttrpc.Code.INVALID_ARGUMENT,
          "cannot read config file " + file + ": " + e.getMessage(), e);
    }
  }

  private static String orDefault(String value, String fallback) {
    return value != null ? value : fallback;
  }

  /** Looks a setting up in the environment, then the file. */
  private record Settings(Map<String, String> env, JsonNode file) {
    String string(String envName, String table, String key) {
      if (envName != null && env.get(envName) != null && !env.get(envName).isBlank()) {
        return env.get(envName);
      }
      JsonNode node = file == null ? null : file.path(table).get(key);
      return node == null || node.isNull() ? null : node.asText();
    }

    int integer(String envName, String table, String key, int fallback) throws TtrpcException {
      String value = string(envName, table, key);
      if (value == null) {
        return fallback;
      }
      try {
        return Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        throw TtrpcException.invalidArgument("%s must be an integer, got %s",
            envName != null && env.get(envName) != null ? envName : "[" + table + "] " + key, value);
      }
    }
  }
}
