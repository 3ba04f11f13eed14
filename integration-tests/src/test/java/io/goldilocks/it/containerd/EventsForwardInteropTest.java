package io.goldilocks.it.containerd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UInt64Value;
import io.goldilocks.api.containerd.events.TaskExit;
import io.goldilocks.api.containerd.events.TaskOOM;
import io.goldilocks.api.containerd.services.events.ttrpc.v1.Envelope;
import io.goldilocks.api.containerd.services.events.ttrpc.v1.ForwardRequest;
import io.goldilocks.ttrpc.CallOptions;
import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcClient;
import io.goldilocks.ttrpc.TtrpcException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ttrpc-java against Go's ttrpc in Debian's containerd 1.6: we publish a TaskExit the way a shim does
 * ({@code containerd.services.events.ttrpc.v1.Events/Forward} on containerd's ttrpc socket, namespace in the
 * {@code containerd-namespace-ttrpc} metadata) and {@code ctr events} must print it decoded, which proves our framing,
 * our request/response envelopes and our Envelope/TaskExit encoding all at once. Requests containerd rejects (bad
 * topic, bad namespace, no timestamp, undecodable payload, unknown method) must come back as the status Go's ttrpc
 * sends, never as a hang. An unknown event type is not among them: containerd 1.6 accepts it (see the test).
 */
class EventsForwardInteropTest {
  private static final String EVENTS = "containerd.services.events.ttrpc.v1.Events";
  private static final String NAMESPACE = "goldilocks-it";
  private static final String NAMESPACE_KEY = "containerd-namespace-ttrpc";
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(10);

  private static PrivateContainerd containerd;
  private CtrEvents events;
  private TtrpcClient client;

  @BeforeAll
  static void startContainerd() {
    PrivateContainerd.requireHost();
    containerd = PrivateContainerd.start();
  }

  @AfterAll
  static void stopContainerd() {
    if (containerd != null) {
      containerd.close();
    }
  }

  @BeforeEach
  void connect() throws Exception {
    client = TtrpcClient.connect(containerd.ttrpcSocket());
  }

  @AfterEach
  void disconnect() {
    if (client != null) {
      client.close();
    }
    if (events != null) {
      events.close();
    }
  }

  @Test
  void forwardedTaskExitAppearsInCtrEvents() throws Exception {
    watchEvents();
    Instant exitedAt = Instant.parse("2026-12-04T21:00:00.123456789Z");
    TaskExit exit = TaskExit.newBuilder()
        .setContainerId("gl-interop-c1").setId("gl-interop-c1").setPid(4242).setExitStatus(42)
        .setExitedAt(timestamp(exitedAt)).build();

    forward(envelope("/tasks/exit", any("containerd.events.TaskExit", exit)));

    CtrEvents.Event printed = awaitTopic("/tasks/exit");
    assertThat(printed.namespace()).isEqualTo(NAMESPACE);
    assertThat(printed.payload())
        .contains("\"container_id\":\"gl-interop-c1\"")
        .contains("\"id\":\"gl-interop-c1\"")
        .contains("\"pid\":4242")
        .contains("\"exit_status\":42")
        .contains("\"exited_at\":\"2026-12-04T21:00:00.123456789Z\"");
  }

  @Test
  void manyForwardsOnOneConnectionAllArrive() throws Exception {
    watchEvents();
    for (int i = 0; i < 20; i++) {
      forward(envelope("/tasks/oom", any("containerd.events.TaskOOM",
          TaskOOM.newBuilder().setContainerId("gl-many-" + i).build())));
    }
    for (int i = 0; i < 20; i++) {
      String id = "\"container_id\":\"gl-many-" + i + "\"";
      Optional<CtrEvents.Event> printed = events.await(e -> e.payload().contains(id), EVENT_TIMEOUT);
      assertThat(printed).as("event %d among %s", i, events.seen()).isPresent();
    }
  }

  /**
   * containerd 1.6 accepts an event whose Any type it does not know (Forward only checks the envelope); ctr events
   * then skips it with a warning. Asserted so that a change of that contract is noticed.
   */
  @Test
  void unknownEventTypeIsAcceptedButNotDecoded() throws Exception {
    watchEvents();
    forward(envelope("/goldilocks/unknown", Any.newBuilder().setTypeUrl("goldilocks.NoSuchEvent")
        .setValue(ByteString.copyFromUtf8("\u0008\u0001")).build()));
    forward(envelope("/goldilocks/after-unknown", any("containerd.events.TaskOOM",
        TaskOOM.newBuilder().setContainerId("after").build())));

    awaitTopic("/goldilocks/after-unknown");
    assertThat(events.seen()).extracting(CtrEvents.Event::topic).doesNotContain("/goldilocks/unknown");
  }

  @Test
  void topicWithoutLeadingSlashGetsInvalidArgument() {
    Envelope bad = envelope("tasks/exit", any("containerd.events.TaskExit", TaskExit.getDefaultInstance()));

    assertThatThrownBy(() -> forward(bad)).isInstanceOfSatisfying(TtrpcException.class,
        e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT));
  }

  @Test
  void invalidNamespaceGetsInvalidArgument() {
    Envelope bad = envelope("/tasks/exit", any("containerd.events.TaskExit", TaskExit.getDefaultInstance()))
        .toBuilder().setNamespace("not a namespace!").build();

    assertThatThrownBy(() -> forward(bad)).isInstanceOfSatisfying(TtrpcException.class,
        e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT));
  }

  @Test
  void envelopeWithoutTimestampGetsInvalidArgument() {
    Envelope bad = envelope("/tasks/exit", any("containerd.events.TaskExit", TaskExit.getDefaultInstance()))
        .toBuilder().clearTimestamp().build();

    assertThatThrownBy(() -> forward(bad)).isInstanceOfSatisfying(TtrpcException.class,
        e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT));
  }

  @Test
  void undecodableRequestGetsAnErrorStatusAndTheConnectionLivesOn() throws Exception {
    // 08 05: ForwardRequest field 1 as a varint, but envelope is a message: Go's unmarshal rejects the wire type
    assertThatThrownBy(() -> client.call(EVENTS, "Forward", UInt64Value.of(5), Empty.parser(), options()))
        .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isNotEqualTo(Code.DEADLINE_EXCEEDED));

    assertThatThrownBy(() -> forward(envelope("no-slash", Any.getDefaultInstance())))
        .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT));
    assertThat(client.isClosed()).isFalse();
  }

  @Test
  void unknownMethodGetsUnimplemented() {
    assertThatThrownBy(() -> client.call(EVENTS, "NoSuchMethod", Empty.getDefaultInstance(), Empty.parser(),
        options())).isInstanceOfSatisfying(TtrpcException.class,
            e -> assertThat(e.code()).isEqualTo(Code.UNIMPLEMENTED));
  }

  private void watchEvents() throws Exception {
    events = CtrEvents.start(containerd);
    awaitSubscribed();
  }

  private CtrEvents.Event awaitTopic(String topic) throws InterruptedException {
    Optional<CtrEvents.Event> printed = events.await(e -> e.topic().equals(topic), EVENT_TIMEOUT);
    assertThat(printed).as("ctr events printed %s", events.seen()).isPresent();
    return printed.get();
  }

  /** ctr events gives no sign of having subscribed: forward warm-up events until one comes back. */
  private void awaitSubscribed() throws Exception {
    Instant deadline = Instant.now().plus(EVENT_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      forward(envelope("/goldilocks/warmup", any("containerd.events.TaskOOM",
          TaskOOM.newBuilder().setContainerId("warmup").build())));
      if (events.await(e -> e.topic().equals("/goldilocks/warmup"), Duration.ofMillis(200)).isPresent()) {
        return;
      }
    }
    throw new AssertionError("ctr events never printed a warm-up event; it printed " + events.seen()
        + "\ncontainerd log:\n" + containerd.logTail(30));
  }

  private void forward(Envelope envelope) throws TtrpcException {
    client.call(EVENTS, "Forward", ForwardRequest.newBuilder().setEnvelope(envelope).build(), Empty.parser(),
        options());
  }

  private static CallOptions options() {
    return CallOptions.timeout(CALL_TIMEOUT).withMetadata(NAMESPACE_KEY, NAMESPACE);
  }

  private static Envelope envelope(String topic, Any event) {
    return Envelope.newBuilder().setTimestamp(timestamp(Instant.now())).setNamespace(NAMESPACE).setTopic(topic)
        .setEvent(event).build();
  }

  /** containerd resolves event types by bare full name, not Any.pack's "type.googleapis.com/" URL. */
  private static Any any(String typeUrl, Message event) {
    return Any.newBuilder().setTypeUrl(typeUrl).setValue(event.toByteString()).build();
  }

  private static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }
}
