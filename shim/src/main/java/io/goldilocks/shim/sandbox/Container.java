package io.goldilocks.shim.sandbox;

import io.goldilocks.ttrpc.TtrpcException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One container of a sandbox: its init process (whose state is the container's) and its exec processes.
 * Thread-safe: the exec map is guarded by this.
 */
final class Container {
  private final String id;
  private final GuestProcess init;
  /** Guarded by this. */
  private final Map<String, GuestProcess> execs = new LinkedHashMap<>();

  Container(String id, GuestProcess init) {
    this.id = id;
    this.init = init;
  }

  String id() {
    return id;
  }

  GuestProcess init() {
    return init;
  }

  /** The init process or an exec. @throws TtrpcException NOT_FOUND */
  synchronized GuestProcess process(String execId) throws TtrpcException {
    if (execId.isEmpty()) {
      return init;
    }
    GuestProcess exec = execs.get(execId);
    if (exec == null) {
      throw TtrpcException.notFound("exec %s not found in container %s", execId, id);
    }
    return exec;
  }

  /** Registers an exec. @throws TtrpcException ALREADY_EXISTS */
  synchronized void addExec(GuestProcess exec) throws TtrpcException {
    String execId = exec.ref().execId();
    if (execs.containsKey(execId)) {
      throw TtrpcException.alreadyExists("exec %s already exists in container %s", execId, id);
    }
    execs.put(execId, exec);
  }

  synchronized void removeExec(String execId) {
    execs.remove(execId);
  }

  synchronized List<GuestProcess> execs() {
    return new ArrayList<>(execs.values());
  }
}
