package io.goldilocks.ttrpc;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Guards for the few tests that need host components (containerd, root): skip on a developer machine, fail under
 * {@code CI=true}. Same rules as {@code io.goldilocks.testing.HostRequirements}, kept local because ttrpc-java
 * depends on nothing else of Goldilocks, not even in tests (it is built and used on its own).
 */
final class HostGuard {
  private HostGuard() {}

  static void requireRoot() {
    require("root".equals(System.getProperty("user.name")), "the test needs root");
  }

  static Path requireExecutable(String nameOrPath) {
    Path direct = Path.of(nameOrPath);
    if (direct.isAbsolute()) {
      require(Files.isExecutable(direct), nameOrPath + " is not installed");
      return direct;
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin") + ":/usr/sbin:/sbin";
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, nameOrPath))) {
        return Path.of(dir, nameOrPath);
      }
    }
    require(false, nameOrPath + " is not installed");
    return null;
  }

  private static void require(boolean condition, String reason) {
    if (!condition && "true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("CI requirement missing: " + reason);
    }
    assumeTrue(condition, reason);
  }
}
