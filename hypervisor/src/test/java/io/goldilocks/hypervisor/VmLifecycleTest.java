package io.goldilocks.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every phase × action pair, against a table written out here (not derived from the code under test). */
class VmLifecycleTest {
  private static final Map<VmPhase, Set<VmAction>> ALLOWED = Map.of(
      VmPhase.BOOTING, Set.of(VmAction.AWAIT_READY, VmAction.QUERY_STATUS, VmAction.SERIAL_PORT, VmAction.POWER_OFF,
          VmAction.KILL, VmAction.AWAIT_EXIT, VmAction.CLOSE),
      VmPhase.READY, Set.of(VmAction.AWAIT_READY, VmAction.QUERY_STATUS, VmAction.SERIAL_PORT, VmAction.POWER_OFF,
          VmAction.KILL, VmAction.AWAIT_EXIT, VmAction.CLOSE),
      VmPhase.EXITED, Set.of(VmAction.POWER_OFF, VmAction.KILL, VmAction.AWAIT_EXIT, VmAction.CLOSE),
      VmPhase.CLOSED, Set.of(VmAction.AWAIT_EXIT, VmAction.CLOSE));

  private static final Map<VmPhase, Set<VmPhase>> TRANSITIONS = Map.of(
      VmPhase.BOOTING, Set.of(VmPhase.READY, VmPhase.EXITED, VmPhase.CLOSED),
      VmPhase.READY, Set.of(VmPhase.EXITED, VmPhase.CLOSED),
      VmPhase.EXITED, Set.of(VmPhase.CLOSED),
      VmPhase.CLOSED, Set.of());

  static Stream<Arguments> phaseAndAction() {
    return Stream.of(VmPhase.values())
        .flatMap(phase -> Stream.of(VmAction.values()).map(action -> Arguments.of(phase, action)));
  }

  static Stream<Arguments> phasePairs() {
    return Stream.of(VmPhase.values())
        .flatMap(from -> Stream.of(VmPhase.values()).map(to -> Arguments.of(from, to)));
  }

  @ParameterizedTest(name = "{1} in {0}")
  @MethodSource("phaseAndAction")
  void actionIsAllowedOnlyInItsPhases(VmPhase phase, VmAction action) throws Exception {
    VmLifecycle lifecycle = lifecycleIn(phase);
    if (ALLOWED.get(phase).contains(action)) {
      assertThat(lifecycle.check(action)).isEqualTo(phase);
    } else {
      assertThatThrownBy(() -> lifecycle.check(action)).isInstanceOfSatisfying(VmPhaseException.class, e -> {
        assertThat(e.phase()).isEqualTo(phase);
        assertThat(e.action()).isEqualTo(action);
        assertThat(e.code()).isEqualTo(HypervisorException.Code.FAILED_PRECONDITION);
      });
    }
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("phasePairs")
  void transitionsFollowTheDiagram(VmPhase from, VmPhase to) {
    VmLifecycle lifecycle = lifecycleIn(from);
    boolean expected = TRANSITIONS.get(from).contains(to);
    assertThat(lifecycle.moveTo(to)).isEqualTo(expected);
    assertThat(lifecycle.phase()).isEqualTo(expected ? to : from);
  }

  private static VmLifecycle lifecycleIn(VmPhase phase) {
    VmLifecycle lifecycle = new VmLifecycle("vm1");
    switch (phase) {
      case BOOTING -> { }
      case READY -> lifecycle.moveTo(VmPhase.READY);
      case EXITED -> lifecycle.moveTo(VmPhase.EXITED);
      case CLOSED -> lifecycle.moveTo(VmPhase.CLOSED);
    }
    assertThat(lifecycle.phase()).isEqualTo(phase);
    return lifecycle;
  }
}
