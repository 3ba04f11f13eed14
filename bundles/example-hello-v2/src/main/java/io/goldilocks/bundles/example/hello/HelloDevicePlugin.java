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
 * Version 2 of {@code example-hello}, built only for the plugin host's hot-swap test: same symbolic name, new
 * Bundle-Version, a different greeting (so a test sees which code serves).
 */
@Component(service = DevicePlugin.class, property = "service.ranking:Integer=0")
public final class HelloDevicePlugin implements DevicePlugin {
  static final String KIND = "example.com/hello";
  static final String ENV = "HELLO_GREETING";
  private static final Logger LOG = LoggerFactory.getLogger(HelloDevicePlugin.class);

  @Activate
  void activate() {
    LOG.info("example-hello 2 activated");
  }

  @Deactivate
  void deactivate() {
    LOG.info("example-hello 2 deactivated");
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
    return new DevicePlan(List.of(), List.of(), Map.of(ENV, "HELLO AGAIN, " + names + " (example-hello 2)"));
  }

  private static List<CdiDevice> hellos(DeviceRequest request) {
    return request.cdiDevices().stream().filter(d -> d.kind().equals(KIND)).toList();
  }
}
