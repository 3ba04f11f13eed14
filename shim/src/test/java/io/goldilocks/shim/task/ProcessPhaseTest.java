package io.goldilocks.shim.task;

import static io.goldilocks.shim.task.ProcessPhase.CREATED;
import static io.goldilocks.shim.task.ProcessPhase.DELETED;
import static io.goldilocks.shim.task.ProcessPhase.PAUSED;
import static io.goldilocks.shim.task.ProcessPhase.RUNNING;
import static io.goldilocks.shim.task.ProcessPhase.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldilocks.shim.io.IoSpec;
import io.goldilocks.shim.sandbox.ExitStatus;
import io.goldilocks.shim.sandbox.ProcessRef;
import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProcessPhaseTest {
  /** The table of ProcessPhase's comment, written out: every pair not listed is refused. */
  private static final Map<ProcessPhase, Set<ProcessPhase>> ALLOWED = Map.of(
      CREATED, EnumSet.of(RUNNING, STOPPED, DELETED),
      RUNNING, EnumSet.of(PAUSED, STOPPED),
      PAUSED, EnumSet.of(RUNNING, STOPPED),
      STOPPED, EnumSet.of(DELETED),
      DELETED, EnumSet.noneOf(ProcessPhase.class));

  @Test
  void everyPairOfPhasesIsAllowedExactlyAsListed() {
    for (ProcessPhase from : ProcessPhase.values()) {
      for (ProcessPhase to : ProcessPhase.values()) {
        assertThat(from.canMoveTo(to)).as(from + " -> " + to).isEqualTo(ALLOWED.get(from).contains(to));
      }
    }
  }

  @Test
  void aRefusedTransitionIsAFailedPreconditionNamingTheProcess() throws Exception {
    Process p = new Process(ProcessRef.init("c1"), IoSpec.none(), null);
    p.moveTo(RUNNING, "start");
    assertThatThrownBy(() -> p.moveTo(DELETED, "delete")).isInstanceOf(TtrpcException.class)
        .hasMessageContaining("cannot delete c1: process is running")
        .extracting(e -> ((TtrpcException) e).code()).isEqualTo(Code.FAILED_PRECONDITION);
  }

  @Test
  void anExitThatBeatsStartLeavesTheProcessStoppedWithItsPid() throws Exception {
    Process p = new Process(ProcessRef.init("c1"), IoSpec.none(), null);
    assertThat(p.exited(42, ExitStatus.exited(0, Instant.now()))).isTrue();
    assertThat(p.started(42)).isFalse();
    assertThat(p.phase()).isEqualTo(STOPPED);
    assertThat(p.pid()).isEqualTo(42);
    assertThat(p.exited(42, ExitStatus.exited(1, Instant.now()))).as("a second exit is ignored").isFalse();
    assertThat(p.exitStatus()).map(ExitStatus::code).contains(0);
  }
}
