package io.goldilocks.bundles.example.hello;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldilocks.spi.PluginException;
import io.goldilocks.spi.SandboxContext;
import io.goldilocks.spi.device.CdiDevice;
import io.goldilocks.spi.device.DevicePlan;
import io.goldilocks.spi.device.DeviceRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A plugin's unit test needs no framework: the plugin is a plain class. */
class HelloDevicePluginTest {
  private final HelloDevicePlugin plugin = new HelloDevicePlugin();

  @Test
  void greetsTheRequestedHelloDevices() throws Exception {
    DeviceRequest request = request(Map.of("cdi.k8s.io/hello", "example.com/hello=world,example.com/hello=moon"));

    assertThat(plugin.supports(request)).isTrue();
    DevicePlan plan = plugin.plan(request);

    assertThat(plan.containerEnv()).containsEntry("HELLO_GREETING", "hello, world,moon (example-hello 1)");
    assertThat(plan.hostDevices()).isEmpty();
  }

  @Test
  void declinesOtherDevices() {
    DeviceRequest gpu = request(Map.of("cdi.k8s.io/gpu", "nvidia.com/gpu=0"));
    assertThat(plugin.supports(gpu)).isFalse();
    assertThatThrownBy(() -> plugin.plan(gpu)).isInstanceOf(PluginException.class);
  }

  private static DeviceRequest request(Map<String, String> annotations) {
    return new DeviceRequest(new SandboxContext("sb1", Path.of("/tmp/sb1"), Map.of()), "c1", List.of(),
        CdiDevice.fromAnnotations(annotations));
  }
}
