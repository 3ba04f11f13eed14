package io.goldilocks.shim.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.goldilocks.spi.SandboxContext;
import io.goldilocks.spi.device.CdiDevice;
import io.goldilocks.spi.device.DevicePlan;
import io.goldilocks.spi.device.DeviceRequest;
import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecDevicesTest {
  private static final SandboxContext SANDBOX = new SandboxContext("sb1", Path.of("/run/goldilocks/sandbox/sb1"),
      Map.of());

  private static byte[] spec(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void cdiAnnotationsAreTheRequest() throws Exception {
    DeviceRequest r = SpecDevices.request(SANDBOX, "c1", spec("""
        {"process": {"env": ["PATH=/bin"]}, "annotations": {"cdi.k8s.io/gpu": "nvidia.com/gpu=0",
          "io.kubernetes.cri.container-type": "container"}}"""));
    assertThat(r.cdiDevices()).containsExactly(new CdiDevice("nvidia.com/gpu", "0"));
    assertThat(SpecDevices.request(SANDBOX, "c2", spec("{\"process\": {}}")).isEmpty()).isTrue();
  }

  @Test
  void malformedAnnotationOrSpecIsInvalidArgument() {
    assertThatThrownBy(() -> SpecDevices.request(SANDBOX, "c1", spec("{\"annotations\": {\"cdi.k8s.io/x\": \"nope\"}}")))
        .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT));
    assertThatThrownBy(() -> SpecDevices.request(SANDBOX, "c1", spec("{")))
        .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT));
  }

  @Test
  void thePlansEnvironmentIsAddedOverridingTheSpecs() throws Exception {
    byte[] out = SpecDevices.apply(spec("{\"process\": {\"env\": [\"PATH=/bin\", \"HELLO_GREETING=old\"]}}"),
        new DevicePlan(List.of(), List.of(), Map.of("HELLO_GREETING", "hello, world")));
    List<String> env = List.of(new ObjectMapper().readTree(out).path("process").path("env").toString());
    assertThat(env.get(0)).isEqualTo("[\"PATH=/bin\",\"HELLO_GREETING=hello, world\"]");
    byte[] untouched = spec("{\"process\": {}}");
    assertThat(SpecDevices.apply(untouched, DevicePlan.none())).isSameAs(untouched);
  }
}
