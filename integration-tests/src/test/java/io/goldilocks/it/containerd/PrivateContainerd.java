package io.goldilocks.it.containerd;

import io.goldilocks.it.containerd.ContainerdConfig.CriRuntime;
import io.goldilocks.testing.HostRequirements;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A private containerd (Debian's 1.6) for one test class: its own config, root, state, sockets and log in a temp
 * directory, its own namespace, started detached in its own session and removed without a trace by {@link #close()}.
 *
 * <pre>{@code
 * @BeforeAll static void up() { PrivateContainerd.requireHost(); containerd = PrivateContainerd.start(); }
 * @AfterAll static void down() { containerd.close(); }
 * ... containerd.ctr("run", "--rm", BusyboxImage.REFERENCE, "t1", "echo", "hello").requireSuccess();
 * }</pre>
 *
 * <p>Lifecycle: RUNNING after {@link #start()} (or {@link Builder#start()}), STOPPED after {@link #close()}; ctr calls
 * on a stopped instance throw IllegalStateException. {@link #restart()} replaces the containerd process and keeps
 * everything else (config, root, state, namespace, the shims and their tasks). Thread-safe: ctr calls may run concurrently; close is idempotent.
 * Set the system property {@code goldilocks.it.keepContainerdDir=true} to keep the directory (config, log) after
 * close for debugging.
 */
public final class PrivateContainerd implements AutoCloseable {
  private static final Duration DEFAULT_CTR_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  enum State { RUNNING, STOPPED }

  private final ContainerdConfig config;
  private final String namespace;
  private final Map<String, String> environment;
  private final Duration startTimeout;
  private volatile Process containerd; // replaced (under lock) by restart
  private final List<Process> ctrProcesses = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private State state = State.RUNNING; // guarded by lock

  private PrivateContainerd(ContainerdConfig config, String namespace, Map<String, String> environment,
      Duration startTimeout, Process containerd) {
    this.config = config;
    this.namespace = namespace;
    this.environment = Map.copyOf(environment);
    this.startTimeout = startTimeout;
    this.containerd = containerd;
  }

  /** Skips the test on a developer machine without root, containerd, ctr or runc (fails under CI). */
  public static void requireHost() {
    HostRequirements.requireRoot();
    HostRequirements.requireExecutable("containerd");
    HostRequirements.requireExecutable("ctr");
    HostRequirements.requireExecutable("runc");
    HostRequirements.requireExecutable("containerd-shim-runc-v2");
    HostRequirements.requireExecutable("setsid");
  }

  /** Starts one with the defaults: a fresh namespace, the runc runtime only. */
  public static PrivateContainerd start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The namespace ctr calls use unless they pass their own {@code --namespace}. Unique to this instance. */
  public String namespace() {
    return namespace;
  }

  public Path dir() {
    return config.dir();
  }

  public Path grpcSocket() {
    return config.grpcSocket();
  }

  /** Where containerd serves ttrpc (the events service shims publish to): what a shim gets as TTRPC_ADDRESS. */
  public Path ttrpcSocket() {
    return config.ttrpcSocket();
  }

  public Path log() {
    return config.log();
  }

  public long pid() {
    return containerd.pid();
  }

  /** Runs {@code ctr --address <ours> --namespace <ours> args...} to completion (60 s deadline). */
  public CommandResult ctr(String... args) {
    return ctr(DEFAULT_CTR_TIMEOUT, args);
  }

  public CommandResult ctr(Duration timeout, String... args) {
    return ctrIn(namespace, timeout, args);
  }

  /** Runs ctr in another namespace of this containerd. */
  public CommandResult ctrIn(String ns, Duration timeout, String... args) {
    requireRunning();
    return Commands.run(ctrCommand(ns, Arrays.asList(args)), timeout);
  }

  /**
   * Starts a long-running ctr (e.g. {@code events}) whose stdout the caller reads from {@link Process#getInputStream()}
   * and whose stderr goes to a file in this instance's directory. Destroyed at {@link #close()} if still alive.
   */
  public Process startCtr(String... args) {
    return startCtrIn(namespace, args);
  }

  /** {@link #startCtr} in another namespace of this containerd. */
  public Process startCtrIn(String ns, String... args) {
    requireRunning();
    try {
      Path err = Files.createTempFile(config.dir(), "ctr-", ".err");
      Process p = new ProcessBuilder(ctrCommand(ns, Arrays.asList(args)))
          .redirectInput(new File("/dev/null"))
          .redirectError(err.toFile())
          .start();
      ctrProcesses.add(p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start ctr " + Arrays.toString(args), e);
    }
  }

  /**
   * Restarts containerd as an administrator would: SIGTERM (it shuts down, shims and their tasks keep running), then
   * a new containerd on the same config, root and state, returning once ctr answers. Tasks are then found again
   * through their shims' addresses in the state directory.
   *
   * @throws IllegalStateException when stopped, or when the new containerd does not come up (its log tail included)
   */
  public void restart() throws InterruptedException {
    synchronized (lock) {
      if (state != State.RUNNING) {
        throw new IllegalStateException("private containerd in " + config.dir() + " is " + state);
      }
      stopContainerd();
      try {
        containerd = launch(config, environment);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start containerd again", e);
      }
      awaitReady(startTimeout);
    }
  }

  private static Process launch(ContainerdConfig config, Map<String, String> environment) throws IOException {
    ProcessBuilder builder = new ProcessBuilder("setsid", "containerd", "--config", config.configFile().toString())
        .redirectInput(new File("/dev/null"))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(config.log().toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(config.log().toFile()));
    builder.environment().putAll(environment);
    return builder.start();
  }

  /** The last lines of containerd's log, for failure messages. */
  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(config.log(), StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /**
   * Stops every task, containerd itself and any shim it left, then removes the host leftovers (see
   * {@link HostLeftovers}) and the directory. Throws (with the problems as suppressed exceptions) only after all
   * steps ran.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (state == State.STOPPED) {
        return;
      }
      List<Throwable> problems = new ArrayList<>();
      ctrProcesses.forEach(PrivateContainerd::destroy);
      if (containerd.isAlive()) {
        HostLeftovers.attempt(problems, this::removeAllTasks);
      }
      state = State.STOPPED;
      HostLeftovers.attempt(problems, this::stopContainerd);
      new HostLeftovers(config, namespace).removeAll(problems);
      if (!Boolean.getBoolean("goldilocks.it.keepContainerdDir")) {
        HostLeftovers.attempt(problems, () -> HostLeftovers.deleteTree(config.dir()));
      }
      if (!problems.isEmpty()) {
        IllegalStateException e = new IllegalStateException("private containerd in " + config.dir()
            + " did not stop cleanly");
        problems.forEach(e::addSuppressed);
        throw e;
      }
    }
  }

  private List<String> ctrCommand(String ns, List<String> args) {
    List<String> command = new ArrayList<>(List.of("ctr", "--address", config.grpcSocket().toString(),
        "--namespace", ns));
    command.addAll(withFifoDir(args));
    return command;
  }

  /**
   * ctr puts stdio FIFOs under the shared /run/containerd/fifo unless told otherwise; for the subcommands that create
   * them we point {@code --fifo-dir} into our directory so nothing of ours lands there.
   */
  private List<String> withFifoDir(List<String> args) {
    int insertAt = -1;
    if (!args.isEmpty() && args.get(0).equals("run")) {
      insertAt = 1;
    } else if (args.size() >= 2 && List.of("task", "tasks", "t").contains(args.get(0))
        && List.of("start", "exec").contains(args.get(1))) {
      insertAt = 2;
    }
    if (insertAt < 0 || args.contains("--fifo-dir")) {
      return args;
    }
    List<String> result = new ArrayList<>(args);
    result.addAll(insertAt, List.of("--fifo-dir", config.fifoDir().toString()));
    return result;
  }

  private void requireRunning() {
    synchronized (lock) {
      if (state != State.RUNNING) {
        throw new IllegalStateException("private containerd in " + config.dir() + " is " + state);
      }
    }
  }

  private void removeAllTasks() {
    Duration t = Duration.ofSeconds(20);
    for (String ns : lines(Commands.run(ctrCommand(namespace, List.of("namespaces", "ls", "-q")), t))) {
      for (String task : lines(Commands.run(ctrCommand(ns, List.of("tasks", "ls", "-q")), t))) {
        Commands.run(ctrCommand(ns, List.of("tasks", "delete", "--force", task)), t);
      }
      for (String container : lines(Commands.run(ctrCommand(ns, List.of("containers", "ls", "-q")), t))) {
        Commands.run(ctrCommand(ns, List.of("containers", "rm", container)), t);
      }
    }
  }

  private static List<String> lines(CommandResult result) {
    if (!result.succeeded()) {
      return List.of();
    }
    return result.stdout().lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private void stopContainerd() throws InterruptedException {
    Process p = containerd;
    p.destroy(); // SIGTERM: containerd shuts down its plugins and removes its sockets
    if (!p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private static void destroy(Process p) {
    p.destroyForcibly();
    try {
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Configures and starts a private containerd. Not thread-safe. */
  public static final class Builder {
    private String namespace;
    private final List<CriRuntime> runtimes = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Duration startTimeout = Duration.ofSeconds(30);

    private Builder() {}

    /** The default namespace for ctr calls; by default a unique {@code gl-it-<n>}. */
    public Builder namespace(String namespace) {
      if (!namespace.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
        throw new IllegalArgumentException("not a containerd namespace: " + namespace);
      }
      this.namespace = namespace;
      return this;
    }

    /** Declares a CRI runtime handler (e.g. {@code goldilocks}, {@code io.containerd.goldilocks.v2}). */
    public Builder criRuntime(String name, String runtimeType) {
      runtimes.add(new CriRuntime(name, runtimeType));
      return this;
    }

    /** An environment variable for containerd (e.g. PATH, so it finds a shim binary under test). */
    public Builder environment(String key, String value) {
      environment.put(key, value);
      return this;
    }

    public Builder startTimeout(Duration timeout) {
      this.startTimeout = timeout;
      return this;
    }

    /** Writes the config, starts containerd and returns once {@code ctr version} answers. */
    public PrivateContainerd start() {
      Path dir;
      try {
        dir = Files.createTempDirectory("gl-ctrd-");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a directory for containerd", e);
      }
      String ns = namespace != null ? namespace : "gl-it-" + dir.getFileName().toString().substring(8);
      ContainerdConfig config = new ContainerdConfig(dir, runtimes);
      Process process = null;
      try {
        Files.createDirectories(config.cniConfDir());
        Files.createDirectories(config.fifoDir());
        Files.writeString(config.configFile(), config.render());
        process = launch(config, environment);
        PrivateContainerd started = new PrivateContainerd(config, ns, environment, startTimeout, process);
        started.awaitReady(startTimeout);
        return started;
      } catch (IOException | RuntimeException | InterruptedException e) {
        try {
          abandon(config, ns, process, environment, startTimeout);
        } catch (RuntimeException cleanup) {
          e.addSuppressed(cleanup);
        }
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        throw e instanceof RuntimeException re ? re : new IllegalStateException("cannot start containerd", e);
      }
    }

    private static void abandon(ContainerdConfig config, String ns, Process process, Map<String, String> environment,
        Duration startTimeout) {
      if (process != null) {
        new PrivateContainerd(config, ns, environment, startTimeout, process).close();
      } else {
        try {
          HostLeftovers.deleteTree(config.dir());
        } catch (IOException ignored) {
          // nothing started; a leftover empty temp dir is all that can remain
        }
      }
    }
  }

  private void awaitReady(Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!containerd.isAlive()) {
        throw new IllegalStateException("containerd exited with " + containerd.exitValue() + " while starting:\n"
            + logTail(30));
      }
      if (Files.exists(config.grpcSocket()) && Files.exists(config.ttrpcSocket())
          && Commands.run(ctrCommand(namespace, List.of("version")), Duration.ofSeconds(5)).succeeded()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("containerd did not answer within " + timeout + ":\n" + logTail(30));
  }
}
