package io.goldilocks.shim.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import org.junit.jupiter.api.Test;

class KnownProcessesTest {
  @Test
  void removedProcessesStayKnownForLateEventsButTheTableIsBounded() throws Exception {
    KnownProcesses known = new KnownProcesses();
    known.addContainer("c1");
    for (int i = 0; i < 3 * KnownProcesses.RETIRED_MAX; i++) { // weeks of exec probes
      known.addExec("c1", "probe-" + i);
      known.retireExec("c1", "probe-" + i);
    }
    assertThat(known.size()).isLessThanOrEqualTo(KnownProcesses.RETIRED_MAX + 1);
    int last = 3 * KnownProcesses.RETIRED_MAX - 1;
    known.check("an exit event", "c1", "probe-" + last); // a late event of a recent exec: fine
    assertThatThrownBy(() -> known.check("an exit event", "c1", "never"))
        .satisfies(e -> assertThat(((TtrpcException) e).code()).isEqualTo(Code.INTERNAL));
    known.retireContainer("c1");
    known.check("an exit event", "c1", "");
    assertThat(known.knows("c2", "")).isFalse();
  }
}
