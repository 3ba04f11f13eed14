package io.goldilocks.it.shim;

import io.goldilocks.testing.HostRequirements;
import java.nio.file.Files;
import java.nio.file.Path;

/** The dev tree's shim launcher ({@code packaging/bin}), which the tests put on containerd's PATH. */
final class ShimLauncher {
  static final String BINARY = "containerd-shim-goldilocks-v2";
  static final String RUNTIME = "io.containerd.goldilocks.v2";

  private ShimLauncher() {}

  /** {@code <repo>/packaging/bin}, found upwards from the working directory. */
  static Path binDir() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path bin = dir.resolve("packaging/bin");
      if (Files.isExecutable(bin.resolve(BINARY))) {
        HostRequirements.require(Files.isRegularFile(dir.resolve("shim/target/shim.classpath")),
            "the shim is not built (mvn -B -pl integration-tests -am verify builds it)");
        return bin;
      }
    }
    HostRequirements.require(false, "packaging/bin/" + BINARY + " not found above " + Path.of("").toAbsolutePath());
    return null;
  }

  static Path binary() {
    return binDir().resolve(BINARY);
  }

  /** containerd's PATH with the launcher directory first. */
  static String pathWithLauncher() {
    return binDir() + ":" + System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
  }
}
