package io.goldilocks.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestChecksTest {
  private static void assertCode(ThrowingCall call, Code code) {
    assertThatThrownBy(call::run).satisfies(e -> assertThat(((TtrpcException) e).code()).isEqualTo(code));
  }

  @FunctionalInterface
  private interface ThrowingCall {
    void run() throws Exception;
  }

  @Test
  void identifiersFollowContainerdsRule() throws Exception {
    assertThat(RequestChecks.id("id", "a1.b-c_d")).isEqualTo("a1.b-c_d");
    assertThat(RequestChecks.id("id", "x".repeat(76))).hasSize(76);
    assertCode(() -> RequestChecks.id("id", "x".repeat(77)), Code.RESOURCE_EXHAUSTED);
    for (String bad : List.of("", "-a", "a-", "a..b", "a/b", "../x", "a b", "ä")) {
      assertCode(() -> RequestChecks.id("id", bad), Code.INVALID_ARGUMENT);
    }
    assertThat(RequestChecks.execIdOrInit("")).isEmpty();
  }

  @Test
  void pathsMustBeAbsoluteAndNormalized() throws Exception {
    assertThat(RequestChecks.absolutePath("p", "/run/goldilocks/shared/c1/rootfs").toString())
        .isEqualTo("/run/goldilocks/shared/c1/rootfs");
    for (String bad : List.of("relative", "/a/../b", "/a/./b", "//a", "")) {
      assertCode(() -> RequestChecks.absolutePath("p", bad), Code.INVALID_ARGUMENT);
    }
    assertCode(() -> RequestChecks.absolutePath("p", "/" + "a".repeat(4096)), Code.RESOURCE_EXHAUSTED);
  }

  @Test
  void signalsTokensHostnamesAndCounts() throws Exception {
    assertThat(RequestChecks.signal(9)).isEqualTo(9);
    assertCode(() -> RequestChecks.signal(0), Code.INVALID_ARGUMENT);
    assertCode(() -> RequestChecks.signal(65), Code.INVALID_ARGUMENT);
    assertCode(() -> RequestChecks.dimension("width", 0), Code.INVALID_ARGUMENT);
    assertCode(() -> RequestChecks.token("opt", "a b", 64), Code.INVALID_ARGUMENT);
    assertCode(() -> RequestChecks.token("opt", "a,b", 64), Code.INVALID_ARGUMENT);
    assertCode(() -> RequestChecks.hostname("bad_host!"), Code.INVALID_ARGUMENT);
    assertThat(RequestChecks.hostname("")).isEmpty();
    assertCode(() -> RequestChecks.count("servers", List.of(1, 2, 3, 4), 3), Code.RESOURCE_EXHAUSTED);
  }
}
