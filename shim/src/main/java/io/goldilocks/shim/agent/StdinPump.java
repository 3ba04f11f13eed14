package io.goldilocks.shim.agent;

import com.google.protobuf.ByteString;
import io.goldilocks.api.agent.v1.StdinChunk;
import io.goldilocks.api.agent.v1.WriteStdinResponse;
import io.goldilocks.ttrpc.CallOptions;
import io.goldilocks.ttrpc.ClientStream;
import io.goldilocks.ttrpc.TtrpcClient;
import io.goldilocks.ttrpc.TtrpcException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Copies a host {@link InputStream} into a guest process's stdin (WriteStdin, a client stream) on its own daemon
 * thread, in chunks of at most 64 KiB; at EOF it ends the stream, checks the guest's byte count, and closes the
 * process's stdin when asked. {@link #done()} completes with the bytes delivered, or exceptionally with the
 * {@link TtrpcException} that stopped it. Thread-safe.
 */
public final class StdinPump implements AutoCloseable {
  private final AgentClient client;
  private final ClientStream<StdinChunk, WriteStdinResponse> stream;
  private final InputStream source;
  private final String containerId;
  private final String execId;
  private final boolean closeAtEof;
  private final Duration answerTimeout;
  private final CompletableFuture<Long> done = new CompletableFuture<>();

  private StdinPump(AgentClient client, ClientStream<StdinChunk, WriteStdinResponse> stream, InputStream source,
      String containerId, String execId, boolean closeAtEof, Duration answerTimeout) {
    this.client = client;
    this.stream = stream;
    this.source = source;
    this.containerId = containerId;
    this.execId = execId;
    this.closeAtEof = closeAtEof;
    this.answerTimeout = answerTimeout;
  }

  static StdinPump start(AgentClient client, TtrpcClient ttrpc, String containerId, String execId,
      InputStream source, boolean closeAtEof, Duration answerTimeout) throws TtrpcException {
    ClientStream<StdinChunk, WriteStdinResponse> s = ttrpc.stream(AgentClient.AGENT, "WriteStdin",
        StdinChunk.newBuilder().setContainerId(containerId).setExecId(execId).build(),
        WriteStdinResponse.parser(), CallOptions.none(), true);
    StdinPump pump = new StdinPump(client, s, source, containerId, execId, closeAtEof, answerTimeout);
    Thread t = new Thread(pump::run, "agent-stdin-" + containerId + "-" + execId);
    t.setDaemon(true);
    t.start();
    return pump;
  }

  public CompletableFuture<Long> done() {
    return done;
  }

  private void run() {
    try {
      long sent = copy();
      stream.closeSend();
      WriteStdinResponse r = stream.receive(answerTimeout);
      if (r == null || r.getBytesWritten() > sent) {
        throw ResponseChecks.lie("a stdin byte count of %s for %d bytes sent",
            r == null ? "nothing" : Long.toUnsignedString(r.getBytesWritten()), sent);
      }
      if (closeAtEof) {
        client.closeStdin(containerId, execId);
      }
      done.complete(r.getBytesWritten());
    } catch (TtrpcException e) {
      stream.close();
      done.completeExceptionally(e);
    } catch (IOException e) {
      stream.close();
      done.completeExceptionally(TtrpcException.unavailable("reading stdin for %s/%s failed: %s", containerId,
          execId, e.getMessage()));
    }
  }

  private long copy() throws IOException, TtrpcException {
    byte[] buf = new byte[ResponseChecks.CHUNK_MAX];
    long sent = 0;
    int n;
    while ((n = source.read(buf)) >= 0) {
      if (n > 0) {
        stream.send(StdinChunk.newBuilder().setData(ByteString.copyFrom(buf, 0, n)).build());
        sent += n;
      }
    }
    return sent;
  }

  /** Stops copying (closes the source so a blocked read returns) and ends the stream. */
  @Override
  public void close() {
    try {
      source.close();
    } catch (IOException e) {
      // already closed
    }
    stream.close();
    done.completeExceptionally(TtrpcException.cancelled("stdin pump of %s/%s closed", containerId, execId));
  }
}
