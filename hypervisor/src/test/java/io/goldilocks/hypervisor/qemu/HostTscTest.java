package io.goldilocks.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class HostTscTest {
  @Test
  void khzIsCpuMhzTimesThousandRounded() {
    assertThat(HostTsc.khzFromCpuinfo("processor\t: 0\ncpu MHz\t\t: 2445.4056\ncpu MHz\t\t: 1.0\n"))
        .isEqualTo(OptionalLong.of(2445406));
  }

  @Test
  void missingOrGarbledRateIsEmpty() {
    assertThat(HostTsc.khzFromCpuinfo("processor\t: 0\n")).isEmpty();
    assertThat(HostTsc.khzFromCpuinfo("cpu MHz\t\t: fast\n")).isEmpty();
    assertThat(HostTsc.khzFromCpuinfo("cpu MHz\t\t: 0\n")).isEmpty();
  }
}
