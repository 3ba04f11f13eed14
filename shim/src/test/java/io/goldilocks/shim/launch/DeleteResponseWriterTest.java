package io.goldilocks.shim.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldilocks.api.containerd.task.v2.DeleteResponse;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeleteResponseWriterTest {
  @Test
  void encodesWhatTheGeneratedParserReadsBack() throws Exception {
    Instant at = Instant.parse("2026-12-04T21:30:15.123456789Z");
    byte[] bytes = DeleteResponseWriter.encode(new DeleteCommand.Outcome(8024, 137, at));

    DeleteResponse decoded = DeleteResponse.parseFrom(bytes);

    assertThat(decoded.getPid()).isEqualTo(8024);
    assertThat(decoded.getExitStatus()).isEqualTo(137);
    assertThat(decoded.getExitedAt().getSeconds()).isEqualTo(at.getEpochSecond());
    assertThat(decoded.getExitedAt().getNanos()).isEqualTo(123456789);
    assertThat(DeleteResponse.newBuilder().setPid(8024).setExitStatus(137).setExitedAt(decoded.getExitedAt())
        .build().toByteArray()).isEqualTo(bytes);
  }
}
