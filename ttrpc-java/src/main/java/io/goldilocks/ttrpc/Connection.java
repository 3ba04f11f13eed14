package io.goldilocks.ttrpc;

/** One served connection (a socket or a duplex byte stream). Implementations are thread-safe. */
public interface Connection extends AutoCloseable {
  /** Blocks until the connection is closed (by the peer, by {@link #close()}, or by server shutdown). */
  void awaitClosed() throws InterruptedException;

  boolean isClosed();

  /** Closes now; calls still running see {@link CallContext#isCancelled()} and their results are dropped. */
  @Override
  void close();
}
