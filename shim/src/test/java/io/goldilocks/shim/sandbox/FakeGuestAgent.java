package io.goldilocks.shim.sandbox;

import io.goldilocks.ttrpc.TtrpcException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An in-memory {@link GuestAgent} for component tests of the sandbox's lifecycle logic: processes "run" until the
 * test ends them with {@link #exit}; each prints a fixed line on stdout and stderr; health checks can be made to hang.
 * Records the calls it got. Thread-safe.
 */
final class FakeGuestAgent implements GuestAgent {
  final List<String> calls = new CopyOnWriteArrayList<>();
  private final Map<ProcessRef, CompletableFuture<ExitStatus>> exits = new ConcurrentHashMap<>();
  private final List<Runnable> closeListeners = new CopyOnWriteArrayList<>();
  private final AtomicInteger pids = new AtomicInteger(100);
  private volatile boolean healthy = true;
  private volatile boolean closed;

  /** Ends a running process with {@code code}. */
  void exit(ProcessRef ref, int code) {
    exits.get(ref).complete(ExitStatus.exited(code, Instant.now()));
  }

  /** From now on, health checks time out. */
  void stopAnswering() {
    healthy = false;
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public Health check(Duration deadline) throws TtrpcException {
    if (!healthy || closed) {
      sleep(deadline);
      throw TtrpcException.deadlineExceeded("no answer within %s", deadline);
    }
    return new Health("fake", "fake-kernel", 1);
  }

  @Override
  public void createSandbox(String sandboxId, String shareTag, String guestPath) {
    calls.add("createSandbox " + sandboxId);
  }

  @Override
  public void destroySandbox(String sandboxId) {
    calls.add("destroySandbox " + sandboxId);
    exits.values().forEach(f -> f.complete(ExitStatus.exited(137, Instant.now())));
  }

  @Override
  public void createContainer(String containerId, byte[] ociSpec, String guestRootfs, StdioFlags stdio) {
    calls.add("createContainer " + containerId + " " + guestRootfs);
  }

  @Override
  public int startContainer(String containerId) throws TtrpcException {
    return started(ProcessRef.init(containerId));
  }

  @Override
  public int execProcess(ProcessRef ref, byte[] processSpec, StdioFlags stdio) throws TtrpcException {
    return started(ref);
  }

  private int started(ProcessRef ref) throws TtrpcException {
    requireOpen();
    calls.add("start " + ref);
    exits.put(ref, new CompletableFuture<>());
    return pids.incrementAndGet();
  }

  @Override
  public void signal(ProcessRef ref, int signal, boolean all) throws TtrpcException {
    requireOpen();
    calls.add("signal " + ref + " " + signal);
    exits.get(ref).complete(ExitStatus.exited(128 + signal, Instant.now()));
  }

  @Override
  public ExitStatus waitProcess(ProcessRef ref, Duration deadline) throws TtrpcException {
    requireOpen();
    try {
      return exits.get(ref).get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw TtrpcException.deadlineExceeded("still running");
    } catch (Exception e) {
      throw TtrpcException.unavailable("gone");
    }
  }

  @Override
  public Pump pumpOutput(ProcessRef ref, boolean stderr, OutputStream sink) {
    CompletableFuture<Long> done = exits.get(ref).thenApply(exit -> {
      byte[] line = ((stderr ? "err of " : "out of ") + ref + "\n").getBytes(StandardCharsets.UTF_8);
      try {
        sink.write(line);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      return (long) line.length;
    });
    return pump(done);
  }

  @Override
  public Pump pumpStdin(ProcessRef ref, InputStream source) {
    return pump(CompletableFuture.completedFuture(0L));
  }

  @Override
  public void closeStdin(ProcessRef ref) {
    calls.add("closeStdin " + ref);
  }

  @Override
  public void resizeTty(ProcessRef ref, int columns, int rows) {
    calls.add("resize " + ref + " " + columns + "x" + rows);
  }

  @Override
  public List<ProcessInfo> listPids(String containerId) {
    return new ArrayList<>(List.of(new ProcessInfo(101, "")));
  }

  @Override
  public ContainerStats stats(String containerId) {
    return new ContainerStats(1, 1, 0, 4096, 0, 0, 1, 0, 0);
  }

  @Override
  public void update(String containerId, byte[] linuxResources) {
    calls.add("update " + containerId);
  }

  @Override
  public void pause(String containerId) {
    calls.add("pause " + containerId);
  }

  @Override
  public void resume(String containerId) {
    calls.add("resume " + containerId);
  }

  @Override
  public void removeContainer(String containerId, boolean force) {
    calls.add("removeContainer " + containerId + (force ? " force" : ""));
  }

  @Override
  public AutoCloseable subscribeOom(Consumer<String> oomContainer) {
    return () -> { };
  }

  @Override
  public void onClose(Runnable listener) {
    closeListeners.add(listener);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      exits.values().forEach(f -> f.completeExceptionally(new IllegalStateException("connection closed")));
      closeListeners.forEach(Runnable::run);
    }
  }

  private void requireOpen() throws TtrpcException {
    if (closed) {
      throw TtrpcException.unavailable("connection closed");
    }
  }

  private static Pump pump(CompletableFuture<Long> done) {
    return new Pump() {
      @Override
      public CompletableFuture<Long> done() {
        return done;
      }

      @Override
      public void close() {
        done.cancel(false);
      }
    };
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
