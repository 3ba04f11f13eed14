package io.goldilocks.hypervisor.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.goldilocks.hypervisor.HypervisorException;
import io.goldilocks.hypervisor.HypervisorException.Code;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A QMP connection: greeting, capability negotiation, then one command at a time, each with a deadline.
 * Asynchronous events arriving meanwhile are skipped. Thread-safe: {@link #execute} is synchronized.
 */
final class QmpClient implements Closeable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final UnixLineChannel channel; // guarded by this

  private QmpClient(UnixLineChannel channel) {
    this.channel = channel;
  }

  static QmpClient connect(Path socket, Duration timeout) throws HypervisorException {
    try {
      UnixLineChannel channel = UnixLineChannel.connect(socket, timeout);
      QmpClient client = new QmpClient(channel);
      try {
        JsonNode greeting = JSON.readTree(channel.readLine(timeout));
        if (!greeting.has("QMP")) {
          throw new HypervisorException(Code.INTERNAL, "not a QMP greeting: " + greeting);
        }
        client.execute(new QmpCommand.Capabilities(), timeout);
        return client;
      } catch (IOException | HypervisorException | RuntimeException e) {
        client.close();
        throw e;
      }
    } catch (IOException e) {
      throw HypervisorException.unavailable("QMP at " + socket + " unavailable: " + e.getMessage(), e);
    }
  }

  synchronized <R> R execute(QmpCommand<R> command, Duration timeout) throws HypervisorException {
    Instant deadline = Instant.now().plus(timeout);
    try {
      ObjectNode request = JSON.createObjectNode().put("execute", command.name());
      if (!command.arguments().isEmpty()) {
        request.set("arguments", JSON.valueToTree(command.arguments()));
      }
      channel.writeLine(JSON.writeValueAsString(request), timeout);
      while (true) {
        JsonNode reply = JSON.readTree(channel.readLine(Duration.between(Instant.now(), deadline)));
        if (reply.has("return")) {
          return command.parse(reply.get("return"));
        }
        if (reply.has("error")) {
          JsonNode error = reply.get("error");
          throw new HypervisorException(Code.INTERNAL, "QMP " + command.name() + " failed: "
              + error.path("class").asText() + ": " + error.path("desc").asText());
        }
        // {"event": ...}: not an answer; keep reading.
      }
    } catch (IOException e) {
      throw HypervisorException.unavailable("QMP " + command.name() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // closing a dead connection: nothing to do
    }
  }
}
