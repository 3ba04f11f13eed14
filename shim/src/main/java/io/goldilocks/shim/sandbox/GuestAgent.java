package io.goldilocks.shim.sandbox;

import io.goldilocks.ttrpc.TtrpcException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What a sandbox needs from the agent inside its guest, in domain terms: the seam between the sandbox's lifecycle
 * logic and the wire ({@link AgentClientGuestAgent} adapts the host-side {@code AgentClient}; component tests use a
 * {@code FakeGuestAgent}). Every method carries a deadline (the implementation's default call deadline unless one is
 * given) and fails with the {@link io.goldilocks.ttrpc.TtrpcException} the guest answered, or UNAVAILABLE once the
 * connection is gone. Implementations are thread-safe; many calls may be in flight.
 */
interface GuestAgent extends AutoCloseable {
  /** What a health check reports. */
  record Health(String agentVersion, String kernelRelease, long uptimeMillis) {}

  /** Which of a process's streams are connected (an unconnected stream is /dev/null in the guest). */
  record StdioFlags(boolean terminal, boolean stdin, boolean stdout, boolean stderr) {}

  /** A background copy between a host stream and a process (AgentClient's pumps). Thread-safe. */
  interface Pump extends AutoCloseable {
    /** Completes with the bytes moved at the end, or exceptionally with what stopped it. */
    CompletableFuture<Long> done();

    /** Stops copying. */
    @Override
    void close();
  }

  /** Health check, answered within {@code deadline}. */
  Health check(Duration deadline) throws TtrpcException;

  /** Prepares the guest for this sandbox: mounts the virtio-fs share {@code tag} at {@code guestPath}. */
  void createSandbox(String sandboxId, String shareTag, String guestPath) throws TtrpcException;

  /**
   * Gives the guest its NICs, addresses and routes (the guest half of a network plugin's plan). The default is for
   * agents without networking: a loopback-only plan needs nothing, anything else is UNIMPLEMENTED.
   */
  default void configureNetwork(io.goldilocks.spi.network.NetworkPlan plan) throws TtrpcException {
    if (!plan.interfaces().isEmpty() || !plan.routes().isEmpty()) {
      throw TtrpcException.unimplemented("this agent cannot configure the guest network");
    }
  }

  /** Kills every container of the sandbox. */
  void destroySandbox(String sandboxId) throws TtrpcException;

  void createContainer(String containerId, byte[] ociSpec, String guestRootfs, StdioFlags stdio)
      throws TtrpcException;

  /** Runs the container's init process; returns its guest pid. */
  int startContainer(String containerId) throws TtrpcException;

  /** Creates and starts an exec process; returns its guest pid. */
  int execProcess(ProcessRef ref, byte[] processSpec, StdioFlags stdio) throws TtrpcException;

  void signal(ProcessRef ref, int signal, boolean all) throws TtrpcException;

  /** Waits for the process's exit up to {@code deadline} (DEADLINE_EXCEEDED: still running, ask again). */
  ExitStatus waitProcess(ProcessRef ref, Duration deadline) throws TtrpcException;

  /**
   * Starts copying one output stream of a process into {@code sink} until the process side reaches end of file.
   * Does not close {@code sink}. Each chunk is written and flushed before the next is read (back-pressure).
   */
  Pump pumpOutput(ProcessRef ref, boolean stderr, OutputStream sink) throws TtrpcException;

  /** Starts copying {@code source} into a process's stdin; at its end closes the process's stdin. */
  Pump pumpStdin(ProcessRef ref, InputStream source) throws TtrpcException;

  void closeStdin(ProcessRef ref) throws TtrpcException;

  void resizeTty(ProcessRef ref, int columns, int rows) throws TtrpcException;

  List<ProcessInfo> listPids(String containerId) throws TtrpcException;

  ContainerStats stats(String containerId) throws TtrpcException;

  void update(String containerId, byte[] linuxResources) throws TtrpcException;

  void pause(String containerId) throws TtrpcException;

  void resume(String containerId) throws TtrpcException;

  void removeContainer(String containerId, boolean force) throws TtrpcException;

  /**
   * Delivers the containers' OOM kills, by container id, on a background thread until the connection ends or the
   * returned handle is closed.
   */
  AutoCloseable subscribeOom(Consumer<String> oomContainer) throws TtrpcException;

  /** Runs {@code listener} once when the connection to the agent is lost or closed. */
  void onClose(Runnable listener);

  /** Closes the connection; calls in flight fail with UNAVAILABLE. Idempotent. */
  @Override
  void close();
}
