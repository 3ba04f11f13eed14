package io.goldilocks.ttrpc;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A duplex byte pipe under one connection: a Unix socket or an InputStream/OutputStream pair. One reader thread
 * calls {@link #read}; writers are serialized by {@link FrameChannel}, so implementations need not lock.
 */
interface Transport {
  /** Reads some bytes into {@code dst}; -1 at end of stream. */
  int read(ByteBuffer dst) throws IOException;

  /** Writes all of header then data. */
  void write(ByteBuffer header, byte[] data) throws IOException;

  /** Closes both directions; idempotent; never throws. */
  void close();

  String describe();
}
