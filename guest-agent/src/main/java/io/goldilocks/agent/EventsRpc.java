package io.goldilocks.agent;

import io.goldilocks.agent.event.AgentEvent;
import io.goldilocks.agent.event.EventQueue;
import io.goldilocks.api.agent.v1.Event;
import io.goldilocks.api.agent.v1.EventsRequest;
import io.goldilocks.api.agent.v1.OomKilled;
import io.goldilocks.api.agent.v1.ProcessExited;
import io.goldilocks.ttrpc.CallContext;
import io.goldilocks.ttrpc.Service;
import io.goldilocks.ttrpc.ServerStream;
import io.goldilocks.ttrpc.TtrpcException;

/**
 * Events: pushes the guest's event queue to the one subscribed host until the call ends. An event is acknowledged
 * only after it was sent. Thread-safe (stateless adapter).
 */
final class EventsRpc {
  private static final long POLL_MILLIS = 250;

  private final EventQueue events;

  EventsRpc(EventQueue events) {
    this.events = events;
  }

  void register(Service.Builder b) {
    b.serverStreaming("Events", EventsRequest.parser(), this::events);
  }

  private void events(CallContext ctx, ServerStream<EventsRequest, Event> stream) throws Exception {
    stream.receive();
    EventQueue.Subscription sub = events.subscribe();
    while (!ctx.isCancelled()) {
      EventQueue.Sequenced next = sub.next(POLL_MILLIS);
      if (next != null) {
        stream.send(toProto(next));
        sub.acknowledge(next);
      }
    }
    throw TtrpcException.cancelled("event subscriber went away");
  }

  static Event toProto(EventQueue.Sequenced s) {
    Event.Builder e = Event.newBuilder().setSequence(s.sequence());
    AgentEvent event = s.event();
    if (event instanceof AgentEvent.ProcessExited) {
      AgentEvent.ProcessExited x = (AgentEvent.ProcessExited) event;
      e.setExited(ProcessExited.newBuilder().setContainerId(x.containerId()).setExecId(x.execId())
          .setPid((int) x.pid()).setExitStatus(x.status().status())
          .setExitedAt(ContainerRpc.timestamp(x.status().exitedAt())));
    } else {
      e.setOom(OomKilled.newBuilder().setContainerId(event.containerId()));
    }
    return e.build();
  }
}
