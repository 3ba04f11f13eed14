package io.goldilocks.shim.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class BinaryLoggerTest {
  @TempDir Path dir;

  private Path script(String body) throws Exception {
    Path logger = dir.resolve("logger.sh");
    Files.writeString(logger, "#!/bin/bash\n" + body);
    Files.setPosixFilePermissions(logger, PosixFilePermissions.fromString("rwx------"));
    return logger;
  }

  @Test
  void loggerGetsStdoutOnFd3StderrOnFd4TheEnvironmentAndItsArguments() throws Exception {
    Path out = dir.resolve("out");
    Path logger = script("""
        echo "$CONTAINER_ID $CONTAINER_NAMESPACE $*" > %1$s.env
        exec 5>&-                      # ready
        cat <&3 > %1$s.stdout & cat <&4 > %1$s.stderr & wait
        """.formatted(out));
    BinaryLogger binary = BinaryLogger.start(
        new StdioTarget.Binary(logger, List.of("--tag", "web")), "c1", "default");
    binary.stdout().write("to stdout\n".getBytes());
    binary.stderr().write("to stderr\n".getBytes());
    binary.close();

    assertThat(binary.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readString(Path.of(out + ".stdout"))).isEqualTo("to stdout\n");
    assertThat(Files.readString(Path.of(out + ".stderr"))).isEqualTo("to stderr\n");
    assertThat(Files.readString(Path.of(out + ".env"))).isEqualTo("c1 default --tag web\n");
  }

  @Test
  void aLoggerThatCannotRunIsAClearError() throws Exception {
    Path missing = dir.resolve("nope");
    assertThatThrownBy(() -> BinaryLogger.start(new StdioTarget.Binary(missing, List.of()), "c1", "ns"))
        .hasMessageContaining("not an executable");
    Path failing = script("exit 3\n");
    BinaryLogger exited = BinaryLogger.start(new StdioTarget.Binary(failing, List.of()), "c1", "ns");
    assertThat(exited.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
    exited.close();
  }
}
