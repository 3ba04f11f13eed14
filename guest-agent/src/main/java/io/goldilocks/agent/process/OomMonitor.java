package io.goldilocks.agent.process;

import io.goldilocks.agent.event.AgentEvent;
import io.goldilocks.agent.event.EventQueue;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Publishes an OOM event when a container's cgroup counts a new OOM kill. Checked when a process of the container
 * exits (an OOM-killed init exits with 137) and by a slow poll for kills of processes the agent does not track.
 *
 * <p>Thread-safe: the last seen counters live in a concurrent map; {@link #check} is atomic per container.
 */
final class OomMonitor {
  private final CgroupStats cgroups;
  private final EventQueue events;
  private final Map<String, Long> seen = new ConcurrentHashMap<>();

  OomMonitor(CgroupStats cgroups, EventQueue events) {
    this.cgroups = cgroups;
    this.events = events;
  }

  /** Starts the background poll over {@code containers} every {@code interval}. */
  void startPolling(Supplier<Collection<Container>> containers, Duration interval) {
    Thread t = new Thread(null, () -> poll(containers, interval), "oom-monitor", 128 * 1024);
    t.setDaemon(true);
    t.start();
  }

  private void poll(Supplier<Collection<Container>> containers, Duration interval) {
    while (true) {
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      for (Container c : containers.get()) {
        if (c.state() == ContainerState.RUNNING) {
          check(c);
        }
      }
    }
  }

  /**
   * Compares the container's OOM-kill counter with the last seen one and publishes on an increase. The counter is
   * read from runc's cgroup (while it exists; cgroup v1 counts only there) and from the agent's group above it
   * (cgroup v2 counts hierarchically, and the group survives runc's cleanup at exit).
   */
  void check(Container c) {
    long kills = Math.max(cgroups.oomKills(c.cgroupPath()), cgroups.oomKills(c.groupPath()));
    Long before = seen.put(c.id(), kills);
    if (kills > (before == null ? 0 : before)) {
      events.publish(new AgentEvent.OomKilled(c.id()));
    }
  }

  /** Forgets a removed container. */
  void forget(String containerId) {
    seen.remove(containerId);
  }
}
