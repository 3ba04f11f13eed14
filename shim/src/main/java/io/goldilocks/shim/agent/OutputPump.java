package io.goldilocks.shim.agent;

import io.goldilocks.api.agent.v1.OutputChunk;
import io.goldilocks.api.agent.v1.OutputStream;
import io.goldilocks.api.agent.v1.ReadOutputRequest;
import io.goldilocks.ttrpc.CallOptions;
import io.goldilocks.ttrpc.ClientStream;
import io.goldilocks.ttrpc.TtrpcClient;
import io.goldilocks.ttrpc.TtrpcException;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Copies one output stream of a guest process (ReadOutput) into a host {@link java.io.OutputStream} on its own
 * daemon thread. When the sink fails (a FIFO whose reader left), the rest is read and dropped so the guest process
 * is never blocked by a vanished host reader.
 *
 * <p>{@link #done()} completes with the bytes written to the sink at the end of the output, or exceptionally with
 * the {@link TtrpcException} that ended the stream (UNAVAILABLE: connection gone; INTERNAL: the agent lied).
 * Thread-safe.
 */
public final class OutputPump implements AutoCloseable {
  private final ClientStream<ReadOutputRequest, OutputChunk> stream;
  private final java.io.OutputStream sink;
  private final String what;
  private final CompletableFuture<Long> done = new CompletableFuture<>();

  private OutputPump(ClientStream<ReadOutputRequest, OutputChunk> stream, java.io.OutputStream sink, String what) {
    this.stream = stream;
    this.sink = sink;
    this.what = what;
  }

  static OutputPump start(TtrpcClient ttrpc, String containerId, String execId, OutputStream which,
      java.io.OutputStream sink) throws TtrpcException {
    ClientStream<ReadOutputRequest, OutputChunk> s = ttrpc.stream(AgentClient.AGENT, "ReadOutput",
        ReadOutputRequest.newBuilder().setContainerId(containerId).setExecId(execId).setStream(which).build(),
        OutputChunk.parser(), CallOptions.none(), false);
    OutputPump pump = new OutputPump(s, sink, which + " of " + containerId + "/" + execId);
    Thread t = new Thread(pump::run, "agent-output-" + containerId + "-" + execId + "-" + which);
    t.setDaemon(true);
    t.start();
    return pump;
  }

  /** Completes at the end of the output; see the class comment. */
  public CompletableFuture<Long> done() {
    return done;
  }

  private void run() {
    long written = 0;
    boolean sinkOk = true;
    try {
      for (OutputChunk c = stream.receive(); c != null; c = stream.receive()) {
        ResponseChecks.chunk(what, c.getData().size());
        if (sinkOk) {
          sinkOk = write(c);
          written += sinkOk ? c.getData().size() : 0;
        }
      }
      done.complete(written);
    } catch (TtrpcException e) {
      stream.close();
      done.completeExceptionally(e);
    } catch (RuntimeException e) {
      stream.close();
      done.completeExceptionally(TtrpcException.internal("output pump of %s failed: %s", what, e));
    }
  }

  private boolean write(OutputChunk c) {
    try {
      c.getData().writeTo(sink);
      sink.flush();
      return true;
    } catch (IOException e) {
      return false; // the host reader left: drain and drop the rest
    }
  }

  /** Stops copying; the rest of this output is abandoned. */
  @Override
  public void close() {
    stream.close();
    done.completeExceptionally(TtrpcException.cancelled("output pump of %s closed", what));
  }
}
