package io.goldilocks.bundles.example.hello;

import io.goldilocks.spi.PluginException;
import io.goldilocks.spi.device.CdiDevice;
import io.goldilocks.spi.device.DevicePlan;
import io.goldilocks.spi.device.DevicePlugin;
import io.goldilocks.spi.device.DeviceRequest;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The smallest useful plugin, and the template to start from: a {@link DevicePlugin} that handles the CDI kind
 * {@value #KIND} (annotation {@code cdi.k8s.io/hello: example.com/hello=world}) by giving the container an
 * environment variable, and logs and declines every other request. No host devices, so it runs anywhere.
 *
 * <p>{@code @Component} makes Declarative Services (SCR, in the shim's plugin host) create one instance and register
 * it as a {@code DevicePlugin} service while this bundle is active. Stateless, thread-safe.
 */
@Component(service = DevicePlugin.class, property = "service.ranking:Integer=0")
public final class HelloDevicePlugin implements DevicePlugin {
  static final String KIND = "example.com/hello";
  static final String ENV = "HELLO_GREETING";
  private static final Logger LOG = LoggerFactory.getLogger(HelloDevicePlugin.class);

  @Activate
  void activate() {
    LOG.info("example-hello 1 activated");
  }

  @Deactivate
  void deactivate() {
    LOG.info("example-hello 1 deactivated");
  }

  @Override
  public String name() {
    return "hello";
  }

  @Override
  public boolean supports(DeviceRequest request) {
    boolean mine = !hellos(request).isEmpty();
    if (!mine) {
      LOG.debug("declining container {}: no {} device requested", request.containerId(), KIND);
    }
    return mine;
  }

  @Override
  public DevicePlan plan(DeviceRequest request) throws PluginException {
    List<CdiDevice> hellos = hellos(request);
    if (hellos.isEmpty()) {
      throw new PluginException(PluginException.Reason.UNSUPPORTED, "no " + KIND + " device requested");
    }
    String names = String.join(",", hellos.stream().map(CdiDevice::name).toList());
    LOG.info("container {}: hello, {}", request.containerId(), names);
    return new DevicePlan(List.of(), List.of(), Map.of(ENV, "hello, " + names + " (example-hello 1)"));
  }

  private static List<CdiDevice> hellos(DeviceRequest request) {
    return request.cdiDevices().stream().filter(d -> d.kind().equals(KIND)).toList();
  }
}
