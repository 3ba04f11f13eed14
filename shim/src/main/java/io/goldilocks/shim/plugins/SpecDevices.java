package io.goldilocks.shim.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.goldilocks.spi.SandboxContext;
import io.goldilocks.spi.device.CdiDevice;
import io.goldilocks.spi.device.DevicePlan;
import io.goldilocks.spi.device.DeviceRequest;
import io.goldilocks.ttrpc.TtrpcException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A container's devices as its OCI spec asks for them (CDI: {@code cdi.k8s.io/*} annotations, what CRI and
 * Kubernetes device plugins put there), and the spec with the device plan applied (the plugin's container
 * environment added to {@code process.env}). Stateless.
 */
public final class SpecDevices {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SpecDevices() {}

  /**
   * The device request of a container's spec.
   *
   * @throws TtrpcException INVALID_ARGUMENT for a malformed CDI annotation or spec
   */
  public static DeviceRequest request(SandboxContext sandbox, String containerId, byte[] spec) throws TtrpcException {
    JsonNode root = parse(spec);
    Map<String, String> annotations = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("annotations").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      annotations.put(e.getKey(), e.getValue().asText());
    }
    try {
      return new DeviceRequest(sandbox, containerId, List.of(), CdiDevice.fromAnnotations(annotations));
    } catch (IllegalArgumentException e) {
      throw TtrpcException.invalidArgument("container %s: %s", containerId, e.getMessage());
    }
  }

  /** {@code spec} with the plan's environment added (a variable already set by the spec is overridden). */
  public static byte[] apply(byte[] spec, DevicePlan plan) throws TtrpcException {
    if (plan.containerEnv().isEmpty()) {
      return spec;
    }
    JsonNode root = parse(spec);
    if (!(root.path("process") instanceof ObjectNode process)) {
      throw TtrpcException.invalidArgument("the OCI spec has no process");
    }
    ArrayNode env = process.withArray("env");
    for (int i = env.size() - 1; i >= 0; i--) {
      String entry = env.get(i).asText();
      int eq = entry.indexOf('=');
      if (eq > 0 && plan.containerEnv().containsKey(entry.substring(0, eq))) {
        env.remove(i);
      }
    }
    plan.containerEnv().forEach((k, v) -> env.add(k + "=" + v));
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw TtrpcException.internal("cannot write the OCI spec: %s", e.getMessage());
    }
  }

  private static JsonNode parse(byte[] spec) throws TtrpcException {
    try {
      return JSON.readTree(spec);
    } catch (IOException e) {
      throw TtrpcException.invalidArgument("the OCI spec is not JSON: %s", e.getMessage());
    }
  }
}
