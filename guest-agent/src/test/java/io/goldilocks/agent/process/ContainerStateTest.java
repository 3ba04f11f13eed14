package io.goldilocks.agent.process;

import static io.goldilocks.agent.process.ContainerState.CREATED;
import static io.goldilocks.agent.process.ContainerState.PAUSED;
import static io.goldilocks.agent.process.ContainerState.RUNNING;
import static io.goldilocks.agent.process.ContainerState.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContainerStateTest {
  private static final Map<ContainerState, Set<ContainerState>> ALLOWED = Map.of(
      CREATED, EnumSet.of(RUNNING, STOPPED),
      RUNNING, EnumSet.of(PAUSED, STOPPED),
      PAUSED, EnumSet.of(RUNNING, STOPPED),
      STOPPED, EnumSet.noneOf(ContainerState.class));

  @Test
  void everyPairOfStatesIsAllowedOrRefusedAsDrawn() {
    for (ContainerState from : ContainerState.values()) {
      for (ContainerState to : ContainerState.values()) {
        assertThat(from.canBecome(to)).as(from + " -> " + to).isEqualTo(ALLOWED.get(from).contains(to));
      }
    }
  }

  @Test
  void anIllegalTransitionIsAFailedPrecondition() throws Exception {
    Container c = new Container("c1", java.nio.file.Path.of("/tmp"), "/g/c1/ctr", "/g/c1",
        new GuestProcess("c1", "", StdioConfig.none(), 16));
    assertThatThrownBy(() -> c.transition(PAUSED, "pause"))
        .satisfies(e -> assertThat(((TtrpcException) e).code()).isEqualTo(Code.FAILED_PRECONDITION))
        .hasMessageContaining("CREATED");
    c.transition(RUNNING, "start");
    c.transition(PAUSED, "pause");
    c.stopped();
    assertThat(c.state()).isEqualTo(STOPPED);
    assertThatThrownBy(() -> c.state().require("c1", "exec in", RUNNING))
        .satisfies(e -> assertThat(((TtrpcException) e).code()).isEqualTo(Code.FAILED_PRECONDITION));
  }
}
