package io.goldilocks.shim.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LifecycleStatesTest {
  @ParameterizedTest
  @EnumSource(SandboxState.class)
  void sandboxTransitionsAreExactlyTheDocumentedOnes(SandboxState from) {
    Set<SandboxState> allowed = switch (from) {
      case BOOTING -> EnumSet.of(SandboxState.READY, SandboxState.FAILED);
      case READY -> EnumSet.of(SandboxState.STOPPING, SandboxState.FAILED);
      case STOPPING -> EnumSet.of(SandboxState.STOPPED, SandboxState.FAILED);
      case STOPPED, FAILED -> EnumSet.noneOf(SandboxState.class);
    };
    for (SandboxState to : SandboxState.values()) {
      assertThat(from.canMoveTo(to)).as("%s -> %s", from, to).isEqualTo(allowed.contains(to));
    }
    assertThat(from.isFinal()).isEqualTo(allowed.isEmpty());
  }

  @ParameterizedTest
  @EnumSource(ProcessState.class)
  void processTransitionsAreExactlyTheDocumentedOnes(ProcessState from) {
    Set<ProcessState> allowed = switch (from) {
      case CREATED -> EnumSet.of(ProcessState.RUNNING, ProcessState.STOPPED);
      case RUNNING -> EnumSet.of(ProcessState.PAUSED, ProcessState.STOPPED);
      case PAUSED -> EnumSet.of(ProcessState.RUNNING, ProcessState.STOPPED);
      case STOPPED -> EnumSet.noneOf(ProcessState.class);
    };
    for (ProcessState to : ProcessState.values()) {
      assertThat(from.canMoveTo(to)).as("%s -> %s", from, to).isEqualTo(allowed.contains(to));
    }
  }

  @Test
  void exitStatusFollowsTheShellConvention() {
    assertThat(ExitStatus.exited(137, java.time.Instant.EPOCH).signal()).isEqualTo(9);
    assertThat(ExitStatus.exited(3, java.time.Instant.EPOCH).signal()).isZero();
    ExitStatus lost = ExitStatus.lost(java.time.Instant.EPOCH);
    assertThat(lost.code()).isEqualTo(255);
    assertThat(lost.sandboxLost()).isTrue();
    assertThat(lost.signal()).isZero();
  }
}
