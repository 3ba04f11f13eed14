package io.goldilocks.agent.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void roundTripKeepsOrderTypesAndLargeNumbers() throws Exception {
    String text = "{\"b\":1,\"a\":[true,false,null,\"x\"],\"limit\":18446744073709551615,\"f\":-1.5e3,"
        + "\"o\":{}}";
    Map<String, Object> tree = Json.parseObject(text);
    assertThat(tree.keySet()).containsExactly("b", "a", "limit", "f", "o");
    assertThat(tree.get("limit")).isEqualTo(new BigDecimal("18446744073709551615"));
    assertThat(((List<?>) tree.get("a")).get(2)).isSameAs(Json.NULL);
    assertThat(Json.write(tree)).isEqualTo(text.replace("-1.5e3", "-1.5E+3"));
  }

  @Test
  void escapesRoundTrip() throws Exception {
    String value = "q\" b\\ nl\n tab\t ctl\u0001 snow\u2603 slash/";
    String written = Json.write(Map.of("s", value));
    assertThat(Json.parseObject(written).get("s")).isEqualTo(value);
    assertThat(Json.parseObject("{\"s\":\"\\u2603\\/\"}").get("s")).isEqualTo("\u2603/");
  }

  @Test
  void malformedInputIsRejectedWithAPosition() {
    for (String bad : new String[] {"", "{", "{\"a\":}", "[1,]", "{\"a\":1}x", "\"\\q\"", "tru", "{a:1}",
        "\"ctl\u0001\"", "[1 2]"}) {
      assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(JsonException.class);
    }
    assertThatThrownBy(() -> Json.parseObject("[1]")).isInstanceOf(JsonException.class);
  }

  @Test
  void nestingIsBounded() {
    String deep = "[".repeat(Json.MAX_DEPTH + 2) + "]".repeat(Json.MAX_DEPTH + 2);
    assertThatThrownBy(() -> Json.parse(deep)).hasMessageContaining("nesting");
    String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
    assertThat(Json.write(assertParses(ok))).isEqualTo(ok);
  }

  private static Object assertParses(String text) {
    try {
      return Json.parse(text);
    } catch (JsonException e) {
      throw new AssertionError(e);
    }
  }
}
