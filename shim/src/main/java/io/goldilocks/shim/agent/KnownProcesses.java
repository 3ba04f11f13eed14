package io.goldilocks.shim.agent;

import io.goldilocks.ttrpc.TtrpcException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The containers and execs this host created in the guest, so that ids the guest reports (events, pids) can be
 * checked: an id the host never created is a lying agent. Removed containers stay known (their last exit events
 * may still be queued in the guest); a pod has few containers, so the table stays small. Thread-safe.
 */
final class KnownProcesses {
  private final ConcurrentMap<String, Set<String>> execsByContainer = new ConcurrentHashMap<>();

  void addContainer(String containerId) {
    execsByContainer.putIfAbsent(containerId, ConcurrentHashMap.newKeySet());
  }

  void addExec(String containerId, String execId) {
    execsByContainer.computeIfAbsent(containerId, k -> ConcurrentHashMap.newKeySet()).add(execId);
  }

  boolean knows(String containerId, String execId) {
    Set<String> execs = execsByContainer.get(containerId);
    return execs != null && (execId.isEmpty() || execs.contains(execId));
  }

  /** INTERNAL "agent sent ..." unless the process is known. */
  void check(String what, String containerId, String execId) throws TtrpcException {
    if (!knows(containerId, execId)) {
      throw ResponseChecks.lie("%s for an unknown process %s/%s", what, containerId, execId);
    }
  }
}
