package io.goldilocks.shim.task;

import io.goldilocks.shim.sandbox.Sandbox;
import io.goldilocks.shim.sandbox.SandboxConfig;
import io.goldilocks.shim.sandbox.SandboxEvent;
import io.goldilocks.shim.sandbox.SandboxFactory;
import io.goldilocks.ttrpc.TtrpcException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one sandbox (VM) of this shim's group, booted by the first Create and shut down when the shim stops. A sandbox
 * that failed is not rebooted: its containers are gone, and later Creates fail with UNAVAILABLE.
 *
 * <p>Thread-safe: {@link #acquire} boots at most once (concurrent callers wait for that boot).
 */
public final class SandboxHost {
  /** Supplies the sandbox's config (read when the first container arrives, not at shim start). */
  @FunctionalInterface
  public interface ConfigSource {
    SandboxConfig config() throws TtrpcException;
  }

  private final SandboxFactory factory;
  private final ConfigSource config;
  private final Consumer<SandboxEvent> listener;

  /** Guarded by this. */
  private Sandbox sandbox;
  /** Guarded by this. */
  private boolean closed;

  public SandboxHost(SandboxFactory factory, ConfigSource config, Consumer<SandboxEvent> listener) {
    this.factory = factory;
    this.config = config;
    this.listener = listener;
  }

  /** The sandbox, booting it first if this is the first call. */
  public synchronized Sandbox acquire() throws TtrpcException {
    if (closed) {
      throw TtrpcException.failedPrecondition("the shim is shutting down");
    }
    if (sandbox == null) {
      Sandbox booted = factory.boot(config.config());
      booted.subscribe(listener);
      sandbox = booted;
    }
    return sandbox;
  }

  /** The sandbox if it was booted. */
  public synchronized Optional<Sandbox> current() {
    return Optional.ofNullable(sandbox);
  }

  /** Shuts the sandbox down (idempotent); later {@link #acquire} calls fail. */
  public void shutdown() {
    Sandbox toStop;
    synchronized (this) {
      closed = true;
      toStop = sandbox;
    }
    if (toStop != null) {
      toStop.shutdown();
    }
  }
}
