package io.goldilocks.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Guards for tests that need real host components (QEMU, containerd, runc, root).
 *
 * <p>On a developer machine a missing component skips the test. Under CI ({@code CI=true}) it fails the test instead,
 * because CI installs everything and a silently skipped real-path test would hide a regression.
 *
 * <p>Shared with other modules as this module's test-jar. Thread-safe (stateless).
 */
public final class HostRequirements {
  private HostRequirements() {}

  /** True when running under CI, where every requirement must be present. */
  public static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Requires an executable on the PATH (or at an absolute path). Returns its resolved path. */
  public static Path requireExecutable(String nameOrPath) {
    Path found = findExecutable(nameOrPath);
    require(found != null, nameOrPath + " is not installed");
    return found;
  }

  /** Requires a file (a kernel, an image) to exist. */
  public static Path requireFile(Path file, String what) {
    require(file != null && Files.isRegularFile(file), what + " not found at " + file);
    return file;
  }

  /** Requires running as root (mounts, network namespaces, runc). */
  public static void requireRoot() {
    require("root".equals(System.getProperty("user.name")), "the test needs root");
  }

  /** Skips (developer machine) or fails (CI) with the reason when the condition does not hold. */
  public static void require(boolean condition, String reason) {
    if (condition) {
      return;
    }
    if (inCi()) {
      fail("CI requirement missing: " + reason);
    }
    assumeTrue(false, reason);
  }

  /** Finds an executable by absolute path or on the PATH; null when absent. */
  public static Path findExecutable(String nameOrPath) {
    Path direct = Path.of(nameOrPath);
    if (direct.isAbsolute()) {
      return Files.isExecutable(direct) ? direct : null;
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
    for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, nameOrPath);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
