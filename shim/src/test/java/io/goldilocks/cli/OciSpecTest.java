package io.goldilocks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class OciSpecTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void specCarriesTheCommandUserCwdAndMergedEnvironment() throws Exception {
    OciSpec spec = new OciSpec(List.of("sh", "-c", "echo hi"), List.of("A=1", "PATH=/x"), "/tmp", 1000, 100, true);
    JsonNode json = JSON.readTree(spec.toJson());
    JsonNode process = json.get("process");
    assertThat(process.get("args").toString()).isEqualTo("[\"sh\",\"-c\",\"echo hi\"]");
    assertThat(process.get("cwd").asText()).isEqualTo("/tmp");
    assertThat(process.get("user").get("uid").asInt()).isEqualTo(1000);
    assertThat(process.get("user").get("gid").asInt()).isEqualTo(100);
    assertThat(process.get("terminal").asBoolean()).isTrue();
    assertThat(process.get("env").toString()).isEqualTo("[\"PATH=/x\",\"TERM=xterm\",\"A=1\"]");
    assertThat(json.get("root").get("path").asText()).isEqualTo("rootfs");
    assertThat(json.get("linux").get("namespaces").findValuesAsText("type")).contains("pid", "mount")
        .doesNotContain("network");
  }

  @Test
  void aTerminalStartsWithTheGivenSize() throws Exception {
    JsonNode size = JSON.readTree(new OciSpec(List.of("sh"), List.of(), "/", 0, 0, true, 132, 43).toJson())
        .get("process").get("consoleSize");
    assertThat(size.get("width").asInt()).isEqualTo(132);
    assertThat(size.get("height").asInt()).isEqualTo(43);
    assertThat(JSON.readTree(new OciSpec(List.of("sh"), List.of(), "/", 0, 0, false).toJson()).get("process")
        .has("consoleSize")).isFalse();
    assertThatThrownBy(() -> new OciSpec(List.of("sh"), List.of(), "/", 0, 0, true, 0, 24))
        .hasMessageContaining("terminal size");
  }

  @Test
  void badInputIsRefusedWithTheReason() {
    assertThatThrownBy(() -> new OciSpec(List.of(), List.of(), "/", 0, 0, false)).hasMessageContaining("command");
    assertThatThrownBy(() -> new OciSpec(List.of("x"), List.of("NOVALUE"), "/", 0, 0, false))
        .hasMessageContaining("K=V");
    assertThatThrownBy(() -> new OciSpec(List.of("x"), List.of(), "rel", 0, 0, false)).hasMessageContaining("absolute");
  }

  @Test
  void userParsesUidAndOptionalGid() {
    assertThat(RunCommand.parseUser("1000")).containsExactly(1000, 1000);
    assertThat(RunCommand.parseUser("1000:5")).containsExactly(1000, 5);
    assertThatThrownBy(() -> RunCommand.parseUser("bob")).hasMessageContaining("UID[:GID]");
    assertThatThrownBy(() -> RunCommand.parseUser("1:2:3")).hasMessageContaining("UID[:GID]");
  }

  @Test
  void runWithoutRootfsIsAUsageError() {
    int code = GoldilocksCli.commandLine().execute("run", "--", "true");
    assertThat(code).isEqualTo(2);
  }
}
