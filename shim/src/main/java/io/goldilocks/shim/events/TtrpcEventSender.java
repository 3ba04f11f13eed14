package io.goldilocks.shim.events;

import com.google.protobuf.Empty;
import io.goldilocks.api.containerd.services.events.ttrpc.v1.Envelope;
import io.goldilocks.api.containerd.services.events.ttrpc.v1.ForwardRequest;
import io.goldilocks.ttrpc.CallOptions;
import io.goldilocks.ttrpc.TtrpcClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Sends events to containerd's ttrpc events service ({@code containerd.services.events.ttrpc.v1.Events/Forward} on
 * {@code TTRPC_ADDRESS}), namespace in the envelope and in the {@code containerd-namespace-ttrpc} metadata. Connects
 * lazily and reconnects after a failure (containerd may restart while a task runs).
 *
 * <p>Used by one thread (the {@link EventQueue}'s sender); not thread-safe.
 */
public final class TtrpcEventSender implements EventSender, AutoCloseable {
  public static final String SERVICE = "containerd.services.events.ttrpc.v1.Events";
  public static final String NAMESPACE_METADATA = "containerd-namespace-ttrpc";
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

  private final Path address;
  private final String namespace;
  private TtrpcClient client;

  public TtrpcEventSender(Path address, String namespace) {
    this.address = address;
    this.namespace = namespace;
  }

  @Override
  public void send(TaskEvent event, Instant at) throws Exception {
    ForwardRequest request = ForwardRequest.newBuilder().setEnvelope(Envelope.newBuilder()
        .setTimestamp(EventEncoder.timestamp(at)).setNamespace(namespace).setTopic(event.topic())
        .setEvent(EventEncoder.encode(event))).build();
    TtrpcClient connected = connection();
    try {
      connected.call(SERVICE, "Forward", request, Empty.parser(),
          CallOptions.timeout(CALL_TIMEOUT).withMetadata(NAMESPACE_METADATA, namespace));
    } catch (Exception e) {
      disconnect();
      throw e;
    }
  }

  private TtrpcClient connection() throws IOException {
    if (client == null || client.isClosed()) {
      client = TtrpcClient.connect(address);
    }
    return client;
  }

  private void disconnect() {
    if (client != null) {
      client.close();
      client = null;
    }
  }

  @Override
  public void close() {
    disconnect();
  }
}
