package io.goldilocks.hypervisor.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import io.goldilocks.hypervisor.VmStatus;
import java.util.Map;

/** The QMP commands we send, typed by what their {@code return} parses into. Immutable. */
public sealed interface QmpCommand<R> {
  String name();

  default Map<String, Object> arguments() {
    return Map.of();
  }

  R parse(JsonNode result);

  /** A command whose {@code return} is empty: only success or an error counts. */
  sealed interface NoResult extends QmpCommand<Void> permits Capabilities, SystemPowerdown, Quit {
    @Override
    default Void parse(JsonNode result) {
      return null;
    }
  }

  /** Leaves capability negotiation; must be the first command on a connection. */
  record Capabilities() implements NoResult {
    @Override
    public String name() {
      return "qmp_capabilities";
    }
  }

  /** {@code {"running": bool, "status": "running"|"paused"|"shutdown"|...}}. */
  record QueryStatus() implements QmpCommand<VmStatus> {
    @Override
    public String name() {
      return "query-status";
    }

    @Override
    public VmStatus parse(JsonNode result) {
      return new VmStatus(result.path("running").asBoolean(false), result.path("status").asText("unknown"));
    }
  }

  /** Presses the ACPI power button; the guest decides whether to power off. */
  record SystemPowerdown() implements NoResult {
    @Override
    public String name() {
      return "system_powerdown";
    }
  }

  /** Ends QEMU at once (the guest gets no say). */
  record Quit() implements NoResult {
    @Override
    public String name() {
      return "quit";
    }
  }
}
