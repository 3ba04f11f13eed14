package io.goldilocks.agent.process;

import io.goldilocks.agent.json.Json;
import io.goldilocks.agent.json.JsonException;
import io.goldilocks.ttrpc.TtrpcException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Rewrites the host's OCI runtime spec into one runc can run inside the guest. What cannot apply in the guest:
 *
 * <ul>
 *   <li>{@code root.path}: the host's bundle rootfs → the container's rootfs inside the guest (virtio-fs share);
 *   <li>{@code hooks}: host binaries (CNI, GPU hooks) that do not exist in the guest → removed;
 *   <li>{@code linux.namespaces} entries with a host {@code path}: network/ipc/uts → removed, so the container
 *       shares the guest's namespace, which is the pod's (one VM per pod); others keep their type without the path
 *       (a fresh namespace);
 *   <li>{@code linux.cgroupsPath}: the host's (often systemd-style "slice:prefix:name") →
 *       {@code <parent>/<id>/ctr} under the guest's cgroup hierarchy. runc removes its own cgroup when the init
 *       exits; the agent-owned {@code <parent>/<id>} above it outlives it, and cgroup v2 counts the child's OOM
 *       kills there too, so an OOM that ended the container is still seen after runc cleaned up;
 *   <li>bind mounts onto /etc/hosts, /etc/hostname, /etc/resolv.conf → the sandbox's guest files; every other
 *       bind-mount source must exist in the guest (the host rewrites them into the share).
 * </ul>
 *
 * Thread-safe (immutable).
 */
public final class GuestSpec {
  private static final Set<String> SHARED_WITH_GUEST = Set.of("network", "ipc", "uts");

  private final String cgroupParent;
  private final Map<String, Path> sandboxFiles;

  /**
   * @param cgroupParent e.g. "/goldilocks"; the container's cgroup becomes {@code <cgroupParent>/<id>}
   * @param sandboxFiles container destination (e.g. "/etc/resolv.conf") → guest file to bind there
   */
  public GuestSpec(String cgroupParent, Map<String, Path> sandboxFiles) {
    this.cgroupParent = cgroupParent;
    this.sandboxFiles = Map.copyOf(sandboxFiles);
  }

  /**
   * Returns the rewritten config.json text; {@code process.terminal} is set to {@code terminal} (the host's stdio
   * request decides). INVALID_ARGUMENT for malformed specs.
   */
  public String rewrite(String containerId, String specJson, Path rootfs, boolean terminal) throws TtrpcException {
    Map<String, Object> spec = parse(specJson);
    Map<String, Object> process = Json.object(spec, "process");
    if (process == null) {
      throw TtrpcException.invalidArgument("OCI spec of %s has no process", containerId);
    }
    process.put("terminal", terminal);
    Map<String, Object> root = Json.object(spec, "root");
    if (root == null) {
      root = new java.util.LinkedHashMap<>();
      spec.put("root", root);
    }
    root.put("path", rootfs.toString());
    spec.remove("hooks");
    Map<String, Object> linux = Json.object(spec, "linux");
    if (linux != null) {
      rewriteNamespaces(linux);
      linux.put("cgroupsPath", cgroupPath(containerId));
    }
    rewriteMounts(containerId, spec);
    return Json.write(spec);
  }

  /** The container's runc cgroup, relative to the cgroup mount (e.g. "/goldilocks/c1/ctr"). */
  public String cgroupPath(String containerId) {
    return groupPath(containerId) + "/ctr";
  }

  /** The agent-owned cgroup above the container's (e.g. "/goldilocks/c1"), removed with the container. */
  public String groupPath(String containerId) {
    return (cgroupParent.endsWith("/") ? cgroupParent : cgroupParent + "/") + containerId;
  }

  /** Parses an exec's OCI Process JSON and forces {@code terminal}; INVALID_ARGUMENT when malformed. */
  public static String execProcess(String processJson, boolean terminal) throws TtrpcException {
    Map<String, Object> process = parse(processJson);
    List<Object> args = Json.array(process, "args");
    if (args == null || args.isEmpty()) {
      throw TtrpcException.invalidArgument("OCI process has no args");
    }
    process.put("terminal", terminal);
    return Json.write(process);
  }

  /**
   * The OCI {@code process.consoleSize} of a container's spec: the size its terminal starts with. Empty when the
   * spec has none (or a zero dimension, which OCI runtimes ignore too); INVALID_ARGUMENT when it is malformed.
   */
  public static Optional<TerminalSize> consoleSize(String specJson) throws TtrpcException {
    Map<String, Object> process = Json.object(parse(specJson), "process");
    return process == null ? Optional.empty() : size(process);
  }

  /** {@link #consoleSize} of an exec's OCI Process JSON. */
  public static Optional<TerminalSize> execConsoleSize(String processJson) throws TtrpcException {
    return size(parse(processJson));
  }

  private static Optional<TerminalSize> size(Map<String, Object> process) throws TtrpcException {
    Object size = process.get("consoleSize");
    if (size == null || size == Json.NULL) {
      return Optional.empty();
    }
    if (!(size instanceof Map)) {
      throw TtrpcException.invalidArgument("process.consoleSize is not an object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> wh = (Map<String, Object>) size;
    long width = dimension(wh, "width");
    long height = dimension(wh, "height");
    return width == 0 || height == 0 ? Optional.empty() : Optional.of(TerminalSize.of((int) width, (int) height));
  }

  private static long dimension(Map<String, Object> size, String key) throws TtrpcException {
    Object value = size.get(key);
    if (value == null) {
      return 0;
    }
    if (!(value instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() < 0
        || n.longValue() > 65535) {
      throw TtrpcException.invalidArgument("process.consoleSize.%s must be an integer in 0..65535, got %s", key,
          value);
    }
    return n.longValue();
  }

  private static Map<String, Object> parse(String json) throws TtrpcException {
    try {
      return Json.parseObject(json);
    } catch (JsonException e) {
      throw TtrpcException.invalidArgument("malformed OCI JSON: %s", e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  private static void rewriteNamespaces(Map<String, Object> linux) {
    List<Object> namespaces = Json.array(linux, "namespaces");
    if (namespaces == null) {
      return;
    }
    for (Iterator<Object> it = namespaces.iterator(); it.hasNext(); ) {
      Object o = it.next();
      if (!(o instanceof Map)) {
        continue;
      }
      Map<String, Object> ns = (Map<String, Object>) o;
      String path = Json.string(ns, "path");
      if (path == null || path.isEmpty()) {
        continue;
      }
      if (SHARED_WITH_GUEST.contains(Json.string(ns, "type"))) {
        it.remove();
      } else {
        ns.remove("path");
      }
    }
  }

  @SuppressWarnings("unchecked")
  private void rewriteMounts(String containerId, Map<String, Object> spec) throws TtrpcException {
    List<Object> mounts = Json.array(spec, "mounts");
    if (mounts == null) {
      return;
    }
    for (Object o : mounts) {
      if (!(o instanceof Map)) {
        throw TtrpcException.invalidArgument("OCI spec of %s has a mount that is not an object", containerId);
      }
      Map<String, Object> m = (Map<String, Object>) o;
      if (!isBind(m)) {
        continue;
      }
      Path replacement = sandboxFiles.get(Json.string(m, "destination"));
      if (replacement != null) {
        m.put("source", replacement.toString());
        continue;
      }
      String source = Json.string(m, "source");
      if (source == null || !Files.exists(Path.of(source))) {
        throw TtrpcException.failedPrecondition("bind mount source %s of container %s does not exist in the guest",
            source, containerId);
      }
    }
  }

  private static boolean isBind(Map<String, Object> mount) {
    if ("bind".equals(Json.string(mount, "type"))) {
      return true;
    }
    List<Object> options = Json.array(mount, "options");
    return options != null && (options.contains("bind") || options.contains("rbind"));
  }
}
