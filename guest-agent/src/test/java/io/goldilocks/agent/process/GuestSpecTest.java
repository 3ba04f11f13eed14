package io.goldilocks.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldilocks.agent.json.Json;
import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GuestSpecTest {
  private static final String SPEC = "{\"process\":{\"terminal\":true,\"args\":[\"sh\"]},\"root\":{\"path\":"
      + "\"/var/lib/containerd/rootfs\",\"readonly\":true},\"hooks\":{\"createRuntime\":[{\"path\":\"/opt/hook\"}]},"
      + "\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
      + "{\"destination\":\"/etc/resolv.conf\",\"type\":\"bind\",\"source\":\"/var/lib/host/resolv.conf\","
      + "\"options\":[\"rbind\",\"ro\"]},{\"destination\":\"/data\",\"source\":\"/tmp\",\"options\":[\"bind\"]}],"
      + "\"linux\":{\"cgroupsPath\":\"kubepods-besteffort.slice:cri-containerd:abc\",\"namespaces\":["
      + "{\"type\":\"pid\",\"path\":\"/proc/42/ns/pid\"},{\"type\":\"network\",\"path\":\"/var/run/netns/cni\"},"
      + "{\"type\":\"ipc\",\"path\":\"/proc/42/ns/ipc\"},{\"type\":\"uts\",\"path\":\"/proc/42/ns/uts\"},"
      + "{\"type\":\"mount\"},{\"type\":\"network\"}]}}";

  private final GuestSpec guestSpec = new GuestSpec("/goldilocks",
      Map.of("/etc/resolv.conf", Path.of("/run/goldilocks/sandbox/resolv.conf")));

  @SuppressWarnings("unchecked")
  private Map<String, Object> rewrite(String spec, boolean terminal) throws Exception {
    return Json.parseObject(guestSpec.rewrite("c1", spec, Path.of("/run/goldilocks/shared/c1/rootfs"), terminal));
  }

  @Test
  void whatCannotApplyInTheGuestIsRewritten() throws Exception {
    Map<String, Object> s = rewrite(SPEC, false);
    assertThat(Json.object(s, "root")).containsEntry("path", "/run/goldilocks/shared/c1/rootfs")
        .containsEntry("readonly", true);
    assertThat(s).doesNotContainKey("hooks");
    assertThat(Json.object(s, "process")).containsEntry("terminal", false);
    Map<String, Object> linux = Json.object(s, "linux");
    assertThat(linux).containsEntry("cgroupsPath", "/goldilocks/c1/ctr");
    assertThat(Json.array(linux, "namespaces")).containsExactly(Map.of("type", "pid"), Map.of("type", "mount"),
        Map.of("type", "network"));
    Map<?, ?> resolv = (Map<?, ?>) Json.array(s, "mounts").get(1);
    assertThat(resolv.get("source")).isEqualTo("/run/goldilocks/sandbox/resolv.conf");
    assertThat(resolv.get("options")).isEqualTo(List.of("rbind", "ro"));
  }

  @Test
  void aBindSourceMissingInTheGuestIsAFailedPrecondition() {
    String spec = SPEC.replace("\"source\":\"/tmp\"", "\"source\":\"/var/lib/kubelet/pods/x/volumes/y\"");
    assertThatThrownBy(() -> rewrite(spec, false))
        .satisfies(e -> assertThat(((TtrpcException) e).code()).isEqualTo(Code.FAILED_PRECONDITION))
        .hasMessageContaining("/var/lib/kubelet/pods/x/volumes/y");
  }

  @Test
  void malformedSpecsAreInvalidArguments() {
    for (String bad : new String[] {"not json", "[]", "{\"root\":{}}", "{\"process\":{},\"mounts\":[1]}"}) {
      assertThatThrownBy(() -> rewrite(bad, false)).as(bad)
          .satisfies(e -> assertThat(((TtrpcException) e).code()).isEqualTo(Code.INVALID_ARGUMENT));
    }
  }

  @Test
  void execProcessNeedsArgsAndTakesTheTerminalFlag() throws Exception {
    assertThat(Json.parseObject(GuestSpec.execProcess("{\"args\":[\"ls\"],\"terminal\":false}", true)))
        .containsEntry("terminal", true);
    assertThatThrownBy(() -> GuestSpec.execProcess("{\"args\":[]}", false))
        .satisfies(e -> assertThat(((TtrpcException) e).code()).isEqualTo(Code.INVALID_ARGUMENT));
  }
}
