package io.goldilocks.shim.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldilocks.spi.PluginException;
import io.goldilocks.spi.PluginException.Reason;
import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class PluginErrorsTest {
  @Test
  void everyReasonHasItsOwnCodeAndTheMessageAndCauseSurvive() {
    EnumSet<Code> codes = EnumSet.noneOf(Code.class);
    for (Reason reason : Reason.values()) {
      codes.add(PluginErrors.codeOf(reason));
    }
    assertThat(codes).hasSize(Reason.values().length).doesNotContain(Code.OK, Code.UNKNOWN);

    PluginException e = new PluginException(Reason.FAILED_PRECONDITION, "GPU passthrough is not available");
    TtrpcException t = PluginErrors.toTtrpc(e);
    assertThat(t.code()).isEqualTo(Code.FAILED_PRECONDITION);
    assertThat(t.getMessage()).isEqualTo("GPU passthrough is not available");
    assertThat(t.getCause()).isSameAs(e);
    assertThat(PluginErrors.codeOf(Reason.UNSUPPORTED)).isEqualTo(Code.UNIMPLEMENTED);
  }
}
