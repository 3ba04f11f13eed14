package io.goldilocks.shim.agent;

import io.goldilocks.api.agent.v1.Event;
import io.goldilocks.api.agent.v1.EventsRequest;
import io.goldilocks.api.agent.v1.ProcessExited;
import io.goldilocks.ttrpc.CallOptions;
import io.goldilocks.ttrpc.ClientStream;
import io.goldilocks.ttrpc.TtrpcClient;
import io.goldilocks.ttrpc.TtrpcException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The host's subscription to the guest's Events stream: receives, checks (ids the host created, exit statuses,
 * increasing sequence numbers) and delivers events in order on one daemon thread. The failure callback runs once,
 * when the stream ends for any reason. Thread-safe.
 */
public final class EventStream implements AutoCloseable {
  private final ClientStream<EventsRequest, Event> stream;
  private final KnownProcesses known;
  private final Consumer<GuestEvent> onEvent;
  private final Consumer<TtrpcException> onFailure;
  private final AtomicBoolean ended = new AtomicBoolean();
  private long lastSequence; // only the delivery thread

  private EventStream(ClientStream<EventsRequest, Event> stream, KnownProcesses known, Consumer<GuestEvent> onEvent,
      Consumer<TtrpcException> onFailure) {
    this.stream = stream;
    this.known = known;
    this.onEvent = onEvent;
    this.onFailure = onFailure;
  }

  static EventStream start(TtrpcClient ttrpc, KnownProcesses known, Consumer<GuestEvent> onEvent,
      Consumer<TtrpcException> onFailure) throws TtrpcException {
    ClientStream<EventsRequest, Event> s = ttrpc.stream(AgentClient.AGENT, "Events",
        EventsRequest.getDefaultInstance(), Event.parser(), CallOptions.none(), false);
    EventStream es = new EventStream(s, known, onEvent, onFailure);
    Thread t = new Thread(es::run, "agent-events");
    t.setDaemon(true);
    t.start();
    return es;
  }

  private void run() {
    try {
      for (Event e = stream.receive(); e != null; e = stream.receive()) {
        onEvent.accept(check(e));
      }
      end(TtrpcException.unavailable("the agent ended the event stream"));
    } catch (TtrpcException e) {
      end(e);
    }
  }

  private GuestEvent check(Event e) throws TtrpcException {
    if (e.getSequence() <= lastSequence) {
      throw ResponseChecks.lie("event sequence %d after %d", e.getSequence(), lastSequence);
    }
    lastSequence = e.getSequence();
    switch (e.getKindCase()) {
      case EXITED: {
        ProcessExited x = e.getExited();
        known.check("an exit event", x.getContainerId(), x.getExecId());
        String what = x.getContainerId() + "/" + x.getExecId();
        return new GuestEvent.ProcessExited(e.getSequence(), x.getContainerId(), x.getExecId(),
            ResponseChecks.pidOrZero(what, x.getPid()),
            ResponseChecks.exit(what, x.getExitStatus(), x.hasExitedAt(), x.getExitedAt()));
      }
      case OOM:
        known.check("an OOM event", e.getOom().getContainerId(), "");
        return new GuestEvent.OomKilled(e.getSequence(), e.getOom().getContainerId());
      default:
        throw ResponseChecks.lie("an event of unknown kind %s", e.getKindCase());
    }
  }

  private void end(TtrpcException why) {
    stream.close();
    if (ended.compareAndSet(false, true)) {
      onFailure.accept(why);
    }
  }

  /** Ends the subscription; the failure callback gets CANCELLED. */
  @Override
  public void close() {
    end(TtrpcException.cancelled("event subscription closed"));
  }
}
