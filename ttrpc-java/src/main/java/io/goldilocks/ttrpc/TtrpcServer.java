package io.goldilocks.ttrpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * A ttrpc server: serves its {@link Service}s on Unix sockets and on duplex byte streams, many connections and many
 * concurrent calls per connection.
 *
 * <p>States: OPEN (serving) → DRAINING ({@link #shutdown}: listeners closed, new requests refused with UNAVAILABLE,
 * calls in flight finish) → CLOSED (connections closed, workers stopped). Thread-safe.
 */
public final class TtrpcServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(TtrpcServer.class.getName());

  private enum State { OPEN, DRAINING, CLOSED }

  private final Map<String, Service> services;
  private final boolean requireSameUser;
  private final int maxConcurrentCallsPerConnection;
  private final int maxQueuedCallsPerConnection;
  private final ExecutorService workers;
  private final ScheduledExecutorService timer;
  private final Set<ServerConnection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connectionNumber = new AtomicInteger();
  // guarded by this:
  private State state = State.OPEN;
  private final List<ServerSocketChannel> listeners = new ArrayList<>();
  private final List<Path> ownedSocketFiles = new ArrayList<>();

  private TtrpcServer(Builder b) {
    this.services = Map.copyOf(b.services);
    this.requireSameUser = b.requireSameUser;
    this.maxConcurrentCallsPerConnection = b.maxConcurrentCallsPerConnection;
    this.maxQueuedCallsPerConnection = b.maxQueuedCallsPerConnection;
    this.workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
        new DaemonThreads("ttrpc-server-worker"));
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, new DaemonThreads("ttrpc-server-timer"));
    t.setRemoveOnCancelPolicy(true);
    this.timer = t;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Binds a Unix socket at {@code unixSocketPath} and serves it in the background; the file is removed on close. */
  public void listen(Path unixSocketPath) throws IOException {
    ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      listener.bind(UnixDomainSocketAddress.of(unixSocketPath));
    } catch (IOException e) {
      listener.close();
      throw new IOException("cannot listen on " + unixSocketPath + ": " + e.getMessage(), e);
    }
    try {
      serve(listener);
    } catch (IllegalStateException e) {
      closeQuietly(listener);
      Files.deleteIfExists(unixSocketPath);
      throw e;
    }
    synchronized (this) {
      ownedSocketFiles.add(unixSocketPath);
    }
  }

  /** Serves an already bound Unix socket listener in the background; the server closes it on shutdown. */
  public void serve(ServerSocketChannel boundUnixListener) {
    synchronized (this) {
      requireOpen();
      listeners.add(boundUnixListener);
    }
    Thread acceptor = new Thread(() -> acceptLoop(boundUnixListener), "ttrpc-server-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Serves one duplex byte stream (e.g. a virtio-serial port) in the background. */
  public Connection serve(InputStream in, OutputStream out) {
    return startConnection(new StreamTransport(in, out));
  }

  private void acceptLoop(ServerSocketChannel listener) {
    UserPrincipal expectedUser = requireSameUser ? ownUser(listener) : null;
    while (true) {
      SocketChannel socket;
      try {
        socket = listener.accept();
      } catch (ClosedChannelException e) {
        return; // shutdown
      } catch (IOException e) {
        if (!listener.isOpen()) {
          return;
        }
        LOG.log(Level.WARNING, "ttrpc accept failed", e);
        continue;
      }
      if (expectedUser != null && !isPeer(socket, expectedUser)) {
        continue;
      }
      try {
        startConnection(new ChannelTransport(socket));
      } catch (IllegalStateException closedMeanwhile) {
        closeQuietly(socket);
        return;
      }
    }
  }

  private ServerConnection startConnection(Transport transport) {
    ServerConnection connection = new ServerConnection(this, transport,
        new CallScheduler(workers, maxConcurrentCallsPerConnection, maxQueuedCallsPerConnection));
    synchronized (this) {
      if (state != State.OPEN) {
        transport.close();
        throw new IllegalStateException("ttrpc server is " + state);
      }
      connections.add(connection);
    }
    connection.start("ttrpc-server-conn-" + connectionNumber.incrementAndGet());
    return connection;
  }

  /** The user owning our socket file is us; a peer of another user is refused (SO_PEERCRED). */
  private static UserPrincipal ownUser(ServerSocketChannel listener) {
    try {
      if (listener.getLocalAddress() instanceof UnixDomainSocketAddress a) {
        return Files.getOwner(a.getPath());
      }
      throw new IllegalStateException("not a Unix socket: " + listener.getLocalAddress());
    } catch (IOException e) {
      throw new IllegalStateException("cannot determine the owner of the server socket", e);
    }
  }

  private static boolean isPeer(SocketChannel socket, UserPrincipal expected) {
    try {
      UnixDomainPrincipal peer = socket.getOption(ExtendedSocketOptions.SO_PEERCRED);
      if (peer.user().equals(expected)) {
        return true;
      }
      LOG.warning("ttrpc: refused a connection from user " + peer.user().getName() + " (expected "
          + expected.getName() + ")");
    } catch (IOException | UnsupportedOperationException e) {
      LOG.log(Level.WARNING, "ttrpc: refused a connection whose peer credentials are unknown", e);
    }
    closeQuietly(socket);
    return false;
  }

  /**
   * Stops accepting connections and new calls, waits up to {@code grace} for calls in flight, then closes every
   * connection (clients of calls still running see UNAVAILABLE). Blocks until done; idempotent.
   */
  public void shutdown(Duration grace) {
    synchronized (this) {
      if (state != State.OPEN) {
        return;
      }
      state = State.DRAINING;
      listeners.forEach(TtrpcServer::closeQuietly);
    }
    connections.forEach(ServerConnection::drain);
    awaitDrained(grace);
    synchronized (this) {
      state = State.CLOSED;
    }
    connections.forEach(ServerConnection::close);
    workers.shutdownNow();
    timer.shutdownNow();
    deleteOwnedSocketFiles();
  }

  private void awaitDrained(Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    while (connections.stream().anyMatch(ServerConnection::hasCallsInFlight) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private synchronized void deleteOwnedSocketFiles() {
    for (Path p : ownedSocketFiles) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        LOG.log(Level.FINE, "cannot remove socket " + p, e);
      }
    }
    ownedSocketFiles.clear();
  }

  /** {@code shutdown(Duration.ZERO)}. */
  @Override
  public void close() {
    shutdown(Duration.ZERO);
  }

  // ---- for connections -----------------------------------------------------------------------------------------

  Optional<Service> service(String name) {
    return Optional.ofNullable(services.get(name));
  }

  ScheduledExecutorService timer() {
    return timer;
  }

  void connectionClosed(ServerConnection connection) {
    connections.remove(connection);
  }

  private void requireOpen() {
    if (state != State.OPEN) {
      throw new IllegalStateException("ttrpc server is " + state);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing: nothing left to do
    }
  }

  /** Not thread-safe; build once. */
  public static final class Builder {
    private final Map<String, Service> services = new HashMap<>();
    private boolean requireSameUser;
    private int maxConcurrentCallsPerConnection = 64;
    private int maxQueuedCallsPerConnection = 16_384;

    private Builder() {}

    public Builder addService(Service service) {
      Objects.requireNonNull(service, "service");
      if (services.putIfAbsent(service.name(), service) != null) {
        throw new IllegalArgumentException("service " + service.name() + " added twice");
      }
      return this;
    }

    /** Refuse Unix socket peers running as another user than the socket's owner (SO_PEERCRED). */
    public Builder requireSameUser(boolean require) {
      this.requireSameUser = require;
      return this;
    }

    /** Handlers running at once per connection (default 64); further calls queue. */
    public Builder maxConcurrentCallsPerConnection(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxConcurrentCallsPerConnection must be >= 1: " + n);
      }
      this.maxConcurrentCallsPerConnection = n;
      return this;
    }

    /** Calls waiting for a handler slot per connection (default 16384); beyond, calls get RESOURCE_EXHAUSTED. */
    public Builder maxQueuedCallsPerConnection(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("maxQueuedCallsPerConnection must be >= 0: " + n);
      }
      this.maxQueuedCallsPerConnection = n;
      return this;
    }

    public TtrpcServer build() {
      return new TtrpcServer(this);
    }
  }
}
