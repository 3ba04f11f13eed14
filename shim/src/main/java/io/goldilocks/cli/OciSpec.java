package io.goldilocks.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A minimal OCI runtime spec ({@code config.json}) for one command, close to what {@code runc spec} writes: fresh
 * pid, ipc, uts and mount namespaces (the guest VM is the isolation boundary; the container shares the guest's network),
 * the usual /proc, /dev, /sys mounts, the default capability set. Immutable, thread-safe.
 *
 * @param args the command and its arguments (non-empty)
 * @param env extra environment, {@code K=V} (a default PATH is added unless given)
 * @param cwd the working directory inside the container (absolute)
 * @param uid user id
 * @param gid group id
 * @param terminal whether the process gets a pseudo-terminal (adds TERM unless given)
 * @param columns the terminal's initial width ({@code process.consoleSize}), used with {@code terminal}
 * @param rows the terminal's initial height
 */
public record OciSpec(List<String> args, List<String> env, String cwd, int uid, int gid, boolean terminal,
    int columns, int rows) {
  static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID",
      "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
      "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

  /** A terminal starts 80x24 unless told otherwise. */
  public OciSpec(List<String> args, List<String> env, String cwd, int uid, int gid, boolean terminal) {
    this(args, env, cwd, uid, gid, terminal, 80, 24);
  }

  public OciSpec {
    if (columns < 1 || columns > 65535 || rows < 1 || rows > 65535) {
      throw new IllegalArgumentException("terminal size " + columns + "x" + rows + " is not in 1..65535");
    }
    args = List.copyOf(args);
    env = List.copyOf(env);
    Objects.requireNonNull(cwd, "cwd");
    if (args.isEmpty()) {
      throw new IllegalArgumentException("no command given");
    }
    if (!cwd.startsWith("/")) {
      throw new IllegalArgumentException("the working directory must be absolute: " + cwd);
    }
    for (String e : env) {
      if (e.indexOf('=') <= 0) {
        throw new IllegalArgumentException("environment entries are K=V: " + e);
      }
    }
  }

  /** The environment the process gets: defaults, overridden by the given entries (same key: later wins). */
  public List<String> effectiveEnv() {
    Map<String, String> merged = new LinkedHashMap<>();
    put(merged, DEFAULT_PATH);
    if (terminal) {
      put(merged, "TERM=xterm");
    }
    env.forEach(e -> put(merged, e));
    List<String> out = new ArrayList<>();
    merged.forEach((k, v) -> out.add(k + "=" + v));
    return out;
  }

  /** The OCI {@code process} object alone (what an exec takes). */
  public ObjectNode processJson() {
    ObjectNode process = JSON.createObjectNode();
    process.put("terminal", terminal);
    if (terminal) {
      // The size the terminal starts with (the guest agent honours it); later changes come as resizes.
      ObjectNode size = process.putObject("consoleSize");
      size.put("height", rows);
      size.put("width", columns);
    }
    ObjectNode user = process.putObject("user");
    user.put("uid", uid);
    user.put("gid", gid);
    strings(process.putArray("args"), args);
    strings(process.putArray("env"), effectiveEnv());
    process.put("cwd", cwd);
    ObjectNode caps = process.putObject("capabilities");
    for (String set : List.of("bounding", "effective", "permitted")) {
      strings(caps.putArray(set), CAPABILITIES);
    }
    ObjectNode nofile = process.putArray("rlimits").addObject();
    nofile.put("type", "RLIMIT_NOFILE");
    nofile.put("hard", 1024);
    nofile.put("soft", 1024);
    process.put("noNewPrivileges", true);
    return process;
  }

  /** The full spec as JSON bytes. */
  public byte[] toJson() {
    ObjectNode spec = JSON.createObjectNode();
    spec.put("ociVersion", "1.0.2");
    spec.set("process", processJson());
    ObjectNode root = spec.putObject("root");
    root.put("path", "rootfs");
    root.put("readonly", false);
    spec.put("hostname", "goldilocks");
    ArrayNode mounts = spec.putArray("mounts");
    mount(mounts, "/proc", "proc", "proc", List.of());
    mount(mounts, "/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
    mount(mounts, "/dev/pts", "devpts", "devpts",
        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"));
    mount(mounts, "/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k"));
    mount(mounts, "/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev"));
    mount(mounts, "/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro"));
    mount(mounts, "/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", "ro"));
    ObjectNode linux = spec.putObject("linux");
    ArrayNode namespaces = linux.putArray("namespaces");
    for (String ns : List.of("pid", "ipc", "uts", "mount")) {
      namespaces.addObject().put("type", ns);
    }
    strings(linux.putArray("maskedPaths"), List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
        "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
        "/proc/scsi"));
    strings(linux.putArray("readonlyPaths"), List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
        "/proc/sysrq-trigger"));
    return bytes(spec);
  }

  /** The {@code process} object as JSON bytes. */
  public byte[] processToJson() {
    return bytes(processJson());
  }

  private static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain values always serializes", e);
    }
  }

  private static void mount(ArrayNode mounts, String destination, String type, String source, List<String> opts) {
    ObjectNode m = mounts.addObject();
    m.put("destination", destination);
    m.put("type", type);
    m.put("source", source);
    strings(m.putArray("options"), opts);
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static void put(Map<String, String> env, String entry) {
    int eq = entry.indexOf('=');
    env.put(entry.substring(0, eq), entry.substring(eq + 1));
  }
}
