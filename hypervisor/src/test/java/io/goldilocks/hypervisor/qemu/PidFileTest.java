package io.goldilocks.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {
  @TempDir Path dir;

  @Test
  void roundTripsAndRecognisesThisLiveProcess() throws Exception {
    Path file = dir.resolve("me.pid");
    PidFile.of(ProcessHandle.current().pid()).write(file);

    PidFile read = PidFile.read(file).orElseThrow();

    assertThat(read.pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(read.isAlive()).isTrue();
    assertThat(dir.resolve("me.pid.tmp")).doesNotExist();
  }

  @Test
  void aReusedPidWithAnotherStartTimeIsNotAlive() {
    PidFile stale = new PidFile(ProcessHandle.current().pid(), 1);
    assertThat(stale.isAlive()).isFalse();
  }

  @Test
  void anExitedProcessIsNotAlive() throws Exception {
    Process p = new ProcessBuilder("true").start();
    PidFile file = new PidFile(p.pid(), -1);
    p.waitFor();
    assertThat(file.isAlive()).isFalse();
  }

  @Test
  void malformedOrOversizedFilesReadAsAbsent() throws Exception {
    assertThat(PidFile.read(Files.writeString(dir.resolve("a.pid"), "not a pid"))).isEmpty();
    assertThat(PidFile.read(Files.writeString(dir.resolve("b.pid"), "1".repeat(100)))).isEmpty();
    assertThat(PidFile.read(dir.resolve("missing.pid"))).isEmpty();
  }
}
