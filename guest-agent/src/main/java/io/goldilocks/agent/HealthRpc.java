package io.goldilocks.agent;

import io.goldilocks.api.agent.v1.CheckRequest;
import io.goldilocks.api.agent.v1.CheckResponse;
import io.goldilocks.ttrpc.CallContext;
import io.goldilocks.ttrpc.Service;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** goldilocks.agent.v1.Health: agent-ready is the first Check answered. Thread-safe (stateless). */
final class HealthRpc {
  static final String SERVICE = "goldilocks.agent.v1.Health";
  static final int API_VERSION = 1;

  Service service() {
    return Service.builder(SERVICE).unary("Check", CheckRequest.parser(), this::check).build();
  }

  private CheckResponse check(CallContext ctx, CheckRequest r) {
    return CheckResponse.newBuilder().setAgentVersion(AgentMain.VERSION).setKernelRelease(kernelRelease())
        .setUptimeMillis(uptimeMillis()).setApiVersion(API_VERSION).build();
  }

  static String kernelRelease() {
    String release = read("/proc/sys/kernel/osrelease");
    return release.length() > 256 ? release.substring(0, 256) : release;
  }

  static long uptimeMillis() {
    String uptime = read("/proc/uptime");
    try {
      return (long) (Double.parseDouble(uptime.split(" ")[0]) * 1000);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file), StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      return "";
    }
  }
}
