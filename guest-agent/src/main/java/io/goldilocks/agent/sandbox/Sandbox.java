package io.goldilocks.agent.sandbox;

import io.goldilocks.agent.process.CommandRunner;
import io.goldilocks.ttrpc.TtrpcException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pod sandbox inside the guest: its hostname, its DNS and hosts files (bind-mounted into every container) and
 * the guest mounts it needs (the virtio-fs share). Lifecycle: NONE → CREATED (CreateSandbox, once) → DESTROYED.
 *
 * <p>Changing the guest's own hostname is optional ({@code applyHostname}): host-side tests run the agent on a
 * developer machine whose hostname must stay untouched.
 *
 * <p>Thread-safe: all state is guarded by {@code this}.
 */
public final class Sandbox {
  /** The sandbox lifecycle. */
  public enum State {
    NONE,
    CREATED,
    DESTROYED
  }

  private static final Duration MOUNT_TIMEOUT = Duration.ofSeconds(60);

  private final Path filesDir;
  private final CommandRunner commands;
  private final boolean applyHostname;
  private State state = State.NONE; // guarded by this
  private SandboxConfig config; // guarded by this
  private final List<SandboxConfig.GuestMount> mounted = new ArrayList<>(); // guarded by this

  /**
   * @param filesDir where hostname, hosts and resolv.conf are written
   * @param applyHostname whether to set the guest kernel's hostname
   */
  public Sandbox(Path filesDir, CommandRunner commands, boolean applyHostname) {
    this.filesDir = filesDir;
    this.commands = commands;
    this.applyHostname = applyHostname;
  }

  public synchronized State state() {
    return state;
  }

  /** Writes the sandbox files, sets the hostname and performs the mounts; undone on failure. */
  public synchronized void create(SandboxConfig cfg) throws TtrpcException {
    if (state != State.NONE) {
      throw TtrpcException.failedPrecondition("sandbox is %s; CreateSandbox is allowed once", state);
    }
    writeFiles(cfg);
    if (applyHostname && !cfg.hostname().isEmpty()) {
      commands.runChecked(List.of("hostname", cfg.hostname()), null, MOUNT_TIMEOUT);
    }
    try {
      for (SandboxConfig.GuestMount m : cfg.mounts()) {
        mount(m);
        mounted.add(m);
      }
    } catch (TtrpcException e) {
      unmountAll();
      throw e;
    }
    config = cfg;
    state = State.CREATED;
  }

  /** Unmounts the sandbox's guest mounts (reverse order). The caller removed the containers first. */
  public synchronized void destroy(String sandboxId) throws TtrpcException {
    if (state != State.CREATED) {
      throw TtrpcException.failedPrecondition("sandbox is %s; nothing to destroy", state);
    }
    if (!config.sandboxId().equals(sandboxId)) {
      throw TtrpcException.notFound("sandbox %s not found (this guest runs %s)", sandboxId, config.sandboxId());
    }
    List<String> failures = unmountAll();
    state = State.DESTROYED;
    if (!failures.isEmpty()) {
      throw TtrpcException.internal("could not unmount: %s", String.join("; ", failures));
    }
  }

  /** Container destination → guest file, for the OCI mounts the sandbox provides. */
  public synchronized Map<String, Path> containerFiles() {
    if (state != State.CREATED) {
      return Map.of();
    }
    return Map.of("/etc/hostname", filesDir.resolve("hostname"), "/etc/hosts", filesDir.resolve("hosts"),
        "/etc/resolv.conf", filesDir.resolve("resolv.conf"));
  }

  private void writeFiles(SandboxConfig cfg) throws TtrpcException {
    String host = cfg.hostname().isEmpty() ? "localhost" : cfg.hostname();
    StringBuilder resolv = new StringBuilder();
    cfg.dnsServers().forEach(s -> resolv.append("nameserver ").append(s).append('\n'));
    if (!cfg.dnsSearches().isEmpty()) {
      resolv.append("search ").append(String.join(" ", cfg.dnsSearches())).append('\n');
    }
    if (!cfg.dnsOptions().isEmpty()) {
      resolv.append("options ").append(String.join(" ", cfg.dnsOptions())).append('\n');
    }
    String hosts = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t" + host + "\n";
    try {
      Files.createDirectories(filesDir);
      Files.writeString(filesDir.resolve("hostname"), host + "\n", StandardCharsets.UTF_8);
      Files.writeString(filesDir.resolve("resolv.conf"), resolv.toString(), StandardCharsets.UTF_8);
      Files.writeString(filesDir.resolve("hosts"), hosts, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw TtrpcException.internal("cannot write sandbox files in %s: %s", filesDir, e.getMessage());
    }
  }

  private void mount(SandboxConfig.GuestMount m) throws TtrpcException {
    try {
      Files.createDirectories(Path.of(m.target()));
    } catch (IOException e) {
      throw TtrpcException.internal("cannot create mount point %s: %s", m.target(), e.getMessage());
    }
    List<String> cmd = new ArrayList<>(List.of("mount"));
    if ("bind".equals(m.fstype())) {
      cmd.add("--bind");
    } else {
      cmd.addAll(List.of("-t", m.fstype()));
    }
    if (!m.options().isEmpty()) {
      cmd.addAll(List.of("-o", String.join(",", m.options())));
    }
    cmd.addAll(List.of(m.source(), m.target()));
    commands.runChecked(cmd, null, MOUNT_TIMEOUT);
  }

  private List<String> unmountAll() {
    List<String> failures = new ArrayList<>();
    for (int i = mounted.size() - 1; i >= 0; i--) {
      String target = mounted.get(i).target();
      try {
        commands.runChecked(List.of("umount", target), null, MOUNT_TIMEOUT);
      } catch (TtrpcException e) {
        failures.add(target + ": " + e.getMessage());
      }
    }
    mounted.clear();
    return failures;
  }
}
