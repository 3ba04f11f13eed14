package io.goldilocks.shim.agent;

import io.goldilocks.ttrpc.TtrpcException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The containers and execs this host created in the guest, so that ids the guest reports (events, pids) can be
 * checked: an id the host never created is a lying agent.
 *
 * <p>Removed processes are retired, not forgotten at once: their exit events may still be queued in the guest. The
 * retired set is bounded ({@value #RETIRED_MAX}, oldest out first), so a sandbox that runs exec probes or restarts
 * containers for weeks keeps a bounded table. Thread-safe: all state is guarded by {@code this}.
 */
final class KnownProcesses {
  static final int RETIRED_MAX = 4096;

  private final Map<String, Set<String>> execsByContainer = new HashMap<>(); // live
  private final Map<String, Boolean> retired = new LinkedHashMap<>(16, 0.75f, false) { // "cid/exec" or "cid/"
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > RETIRED_MAX;
    }
  };

  synchronized void addContainer(String containerId) {
    execsByContainer.computeIfAbsent(containerId, k -> new HashSet<>());
    retired.remove(containerId + "/");
  }

  synchronized void addExec(String containerId, String execId) {
    execsByContainer.computeIfAbsent(containerId, k -> new HashSet<>()).add(execId);
    retired.remove(containerId + "/" + execId);
  }

  synchronized void retireExec(String containerId, String execId) {
    Set<String> execs = execsByContainer.get(containerId);
    if (execs != null && execs.remove(execId)) {
      retired.put(containerId + "/" + execId, Boolean.TRUE);
    }
  }

  synchronized void retireContainer(String containerId) {
    Set<String> execs = execsByContainer.remove(containerId);
    if (execs != null) {
      execs.forEach(e -> retired.put(containerId + "/" + e, Boolean.TRUE));
      retired.put(containerId + "/", Boolean.TRUE);
    }
  }

  synchronized boolean knows(String containerId, String execId) {
    Set<String> execs = execsByContainer.get(containerId);
    if (execs != null && (execId.isEmpty() || execs.contains(execId))) {
      return true;
    }
    return retired.containsKey(containerId + "/" + execId);
  }

  /** Live plus retired entries (for tests of the bound). */
  synchronized int size() {
    return execsByContainer.values().stream().mapToInt(s -> s.size() + 1).sum() + retired.size();
  }

  /** INTERNAL "agent sent ..." unless the process is known. */
  void check(String what, String containerId, String execId) throws TtrpcException {
    if (!knows(containerId, execId)) {
      throw ResponseChecks.lie("%s for an unknown process %s/%s", what, containerId, execId);
    }
  }
}
