package io.goldilocks.shim.launch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How {@code start} runs the long-lived shim server: through the installed launcher script when there is one (so the
 * server gets the same JVM flags and class-data sharing archive), otherwise the current JVM's java and class path
 * (tests, a bare {@code java -cp}).
 *
 * <p>Immutable, thread-safe.
 */
public interface ServerLauncher {
  /** Environment variable the launcher script sets to its own path. */
  String LAUNCHER_ENV = "GOLDILOCKS_SHIM_LAUNCHER";

  /** The command line that runs the shim main with {@code args}. */
  List<String> command(List<String> args);

  /** The launcher script named by {@link #LAUNCHER_ENV}, else the current JVM. */
  static ServerLauncher fromEnvironment() {
    String script = System.getenv(LAUNCHER_ENV);
    if (script != null && !script.isEmpty() && Files.isExecutable(Path.of(script))) {
      return args -> {
        List<String> command = new ArrayList<>(List.of(script));
        command.addAll(args);
        return command;
      };
    }
    return currentJvm();
  }

  /** {@code java -cp <this class path> io.goldilocks.shim.ShimMain args...} with the current JVM. */
  static ServerLauncher currentJvm() {
    String java = ProcessHandle.current().info().command()
        .or(() -> Optional.of(Path.of(System.getProperty("java.home"), "bin", "java").toString())).get();
    String classPath = System.getProperty("java.class.path");
    return args -> {
      List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
          "-Xss512k", "-Xmx64m", "-cp", classPath, "io.goldilocks.shim.ShimMain"));
      command.addAll(args);
      return command;
    };
  }
}
