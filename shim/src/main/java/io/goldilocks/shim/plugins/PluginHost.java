package io.goldilocks.shim.plugins;

import io.goldilocks.spi.PluginException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.service.log.LogReaderService;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shim's embedded OSGi framework (Apache Felix) and the plugins it runs.
 *
 * <p>Lifecycle: {@code NEW --start()--> STARTING --(boot done)--> RUNNING --close()--> STOPPED}; a failed boot goes
 * {@code STARTING --> FAILED} (the framework is stopped again, the shim runs on without plugins); {@code close()}
 * from any state ends in STOPPED. Boot runs on a background thread so it is off the shim's start path; callers that
 * need a plugin call {@link #awaitRegistry} with a deadline.
 *
 * <p>A plugin bundle that fails to resolve or start never fails the host: it is logged and listed with its error, and
 * a lookup that finds no provider names it. The owner must {@link #close()} the host on every exit path (in a
 * {@code finally}): Felix's event dispatch thread is not a daemon and would keep the JVM alive.
 *
 * <p>Thread-safe: {@code state}, {@code framework}, {@code diagnostics}, {@code registry} and {@code failure} are
 * guarded by {@code lock}.
 */
public final class PluginHost implements AutoCloseable {
  /** The host's lifecycle states. */
  public enum State { NEW, STARTING, RUNNING, FAILED, STOPPED }

  private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);
  private static final Map<State, Set<State>> TRANSITIONS = Map.of(
      State.NEW, EnumSet.of(State.STARTING, State.STOPPED),
      State.STARTING, EnumSet.of(State.RUNNING, State.FAILED, State.STOPPED),
      State.RUNNING, EnumSet.of(State.STOPPED),
      State.FAILED, EnumSet.of(State.STOPPED),
      State.STOPPED, EnumSet.noneOf(State.class));
  private static final Duration STOP_WAIT = Duration.ofSeconds(10);
  private static final long STATUS_DEBOUNCE_MS = 100;

  private final PluginHostConfig config;
  private final Duration lookupWait;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "goldilocks-plugin-host");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean statusWritePending = new AtomicBoolean();
  private final Object lock = new Object();
  private State state = State.NEW;
  private Framework framework;
  private BundleDiagnostics diagnostics;
  private PluginRegistry registry;
  private volatile ServiceTracker<LogReaderService, LogReaderService> logReaders;
  private Throwable failure;

  /**
   * @param lookupWait how long a plugin lookup waits for a provider to register (plugins register shortly after the
   *     host starts or after a swap)
   */
  public PluginHost(PluginHostConfig config, Duration lookupWait) {
    this.config = config;
    this.lookupWait = lookupWait;
  }

  /** Starts the framework in the background and returns at once. */
  public void start() {
    synchronized (lock) {
      transition(State.STARTING);
    }
    executor.execute(this::boot);
  }

  public State state() {
    synchronized (lock) {
      return state;
    }
  }

  /**
   * The registry once the host runs, waiting up to {@code timeout} for the boot.
   *
   * @throws PluginException UNAVAILABLE when the host is not running by then (never started, stopped, or failed:
   *     the boot's error is the cause)
   */
  public PluginRegistry awaitRegistry(Duration timeout) throws PluginException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (state == State.STARTING) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new PluginException(PluginException.Reason.UNAVAILABLE,
              "the plugin host did not start within " + timeout);
        }
        try {
          lock.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new PluginException(PluginException.Reason.UNAVAILABLE, "interrupted waiting for the plugin host", e);
        }
      }
      if (state != State.RUNNING) {
        throw new PluginException(PluginException.Reason.UNAVAILABLE, "the plugin host is " + state
            + (failure == null ? "" : ": " + failure.getMessage()), failure);
      }
      return registry;
    }
  }

  /** The bundle listing (empty until the host runs). */
  public List<BundleInfo> bundles() {
    BundleDiagnostics d;
    synchronized (lock) {
      if (state != State.RUNNING) {
        return List.of();
      }
      d = diagnostics;
    }
    try {
      return d.listing();
    } catch (IllegalStateException e) {
      return List.of(); // closed meanwhile: the framework's context is gone
    }
  }

  /** Stops the framework and the host's thread; removes the bundle cache. Idempotent. */
  @Override
  public void close() {
    Framework toStop;
    PluginRegistry toClose;
    synchronized (lock) {
      if (state == State.STOPPED) {
        return;
      }
      transition(State.STOPPED);
      toStop = framework;
      toClose = registry;
      framework = null;
      registry = null;
      lock.notifyAll();
    }
    if (toClose != null) {
      toClose.close();
    }
    if (logReaders != null) {
      logReaders.close();
    }
    stopFramework(toStop);
    executor.shutdownNow();
    try {
      // a boot still in progress stops its own framework when it sees STOPPED
      executor.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteCache();
  }

  /** Runs on the host thread: the boot recipe, then RUNNING; or FAILED with the framework stopped again. */
  private void boot() {
    long started = System.nanoTime();
    Framework fw = null;
    try {
      deleteCache();
      Files.createDirectories(config.bundleDir());
      FelixLogger felixLogger = new FelixLogger();
      fw = FelixBoot.create(config, felixLogger);
      fw.init();
      BundleContext context = fw.getBundleContext();
      BundleDiagnostics d = new BundleDiagnostics(context, config, executor, this::scheduleStatusWrite);
      felixLogger.errorSink(d::recordError);
      context.addBundleListener(d);
      context.addFrameworkListener(d);
      fw.start();
      forwardLogService(context, d);
      FelixBoot.installInfrastructure(context, config.infraDir());
      PluginRegistry r = new PluginRegistry(context, () -> troubledPlugins(d), lookupWait);
      if (!publish(fw, d, r)) {
        r.close();
        stopFramework(fw);
        return;
      }
      LOG.info("plugin host running in {} ms; watching {}", (System.nanoTime() - started) / 1_000_000,
          config.bundleDir());
      scheduleStatusWrite();
    } catch (Exception | LinkageError e) {
      LOG.error("plugin host failed to start; the shim runs without plugins", e);
      stopFramework(fw);
      synchronized (lock) {
        failure = e;
        if (state == State.STARTING) {
          transition(State.FAILED);
        }
        lock.notifyAll();
      }
    }
  }

  /** Makes a booted framework visible; false when the host was closed meanwhile (the caller stops it). */
  private boolean publish(Framework fw, BundleDiagnostics d, PluginRegistry r) {
    synchronized (lock) {
      if (state != State.STARTING) {
        return false;
      }
      framework = fw;
      diagnostics = d;
      registry = r;
      transition(State.RUNNING);
      lock.notifyAll();
      return true;
    }
  }

  private void forwardLogService(BundleContext context, BundleDiagnostics d) {
    LogForwarder forwarder = new LogForwarder(d::recordError);
    logReaders = new ServiceTracker<>(context, LogReaderService.class, null) {
      @Override
      public LogReaderService addingService(org.osgi.framework.ServiceReference<LogReaderService> reference) {
        LogReaderService reader = super.addingService(reference);
        reader.addLogListener(forwarder);
        return reader;
      }
    };
    logReaders.open();
  }

  private static List<BundleInfo> troubledPlugins(BundleDiagnostics d) {
    return d.listing().stream().filter(b -> b.kind() == BundleInfo.Kind.PLUGIN && !b.healthy()).toList();
  }

  private void scheduleStatusWrite() {
    if (config.statusFile().isEmpty() || !statusWritePending.compareAndSet(false, true)) {
      return;
    }
    try {
      executor.schedule(this::writeStatus, STATUS_DEBOUNCE_MS, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      statusWritePending.set(false); // closing
    }
  }

  private void writeStatus() {
    statusWritePending.set(false);
    Path file = config.statusFile().orElseThrow();
    try {
      BundleStatusFile.write(file, bundles());
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot write the bundle status file {}", file, e);
    }
  }

  private static void stopFramework(Framework fw) {
    if (fw == null) {
      return;
    }
    try {
      fw.stop();
      FrameworkEvent event = fw.waitForStop(STOP_WAIT.toMillis());
      if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
        LOG.warn("the plugin framework did not stop within {}", STOP_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn("interrupted while stopping the plugin framework");
    } catch (Exception e) {
      LOG.warn("stopping the plugin framework failed", e);
    }
  }

  private void deleteCache() {
    Path cache = config.cacheDir();
    if (!Files.exists(cache)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(cache)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.warn("cannot remove the plugin cache {}", cache, e);
    }
  }

  /** Changes state if the transition table allows it; caller holds {@code lock}. */
  private void transition(State next) {
    if (!TRANSITIONS.get(state).contains(next)) {
      throw new IllegalStateException("plugin host cannot go from " + state + " to " + next);
    }
    LOG.debug("plugin host {} -> {}", state, next);
    state = next;
  }
}
