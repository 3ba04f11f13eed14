package io.goldilocks.agent;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.goldilocks.agent.process.ContainerManager;
import io.goldilocks.agent.process.GuestProcess;
import io.goldilocks.agent.process.OutputBuffer;
import io.goldilocks.agent.process.OutputKind;
import io.goldilocks.api.agent.v1.OutputChunk;
import io.goldilocks.api.agent.v1.ProcessRequest;
import io.goldilocks.api.agent.v1.ReadOutputRequest;
import io.goldilocks.api.agent.v1.ResizeTtyRequest;
import io.goldilocks.api.agent.v1.StdinChunk;
import io.goldilocks.api.agent.v1.WriteStdinResponse;
import io.goldilocks.ttrpc.CallContext;
import io.goldilocks.ttrpc.Service;
import io.goldilocks.ttrpc.ServerStream;
import io.goldilocks.ttrpc.TtrpcException;

/**
 * The stdio methods of goldilocks.agent.v1.Agent: output pushed on server streams, stdin from a client stream.
 * Thread-safe (stateless adapter; each call has its own stream).
 */
final class StdioRpc {
  /** How long a reader waits for output before looking whether its caller is gone. */
  private static final long POLL_MILLIS = 250;

  private final ContainerManager containers;

  StdioRpc(ContainerManager containers) {
    this.containers = containers;
  }

  void register(Service.Builder b) {
    b.serverStreaming("ReadOutput", ReadOutputRequest.parser(), this::readOutput);
    b.clientStreaming("WriteStdin", StdinChunk.parser(), this::writeStdin);
    b.unary("CloseStdin", ProcessRequest.parser(), this::closeStdin);
    b.unary("ResizeTty", ResizeTtyRequest.parser(), this::resize);
  }

  /** Sends chunks until EOF; a chunk is consumed only after it was sent, so a dead reader loses nothing. */
  private void readOutput(CallContext ctx, ServerStream<ReadOutputRequest, OutputChunk> stream) throws Exception {
    ReadOutputRequest r = stream.receive();
    GuestProcess p = process(r.getContainerId(), r.getExecId());
    OutputKind kind = kind(r);
    OutputBuffer buffer = p.output(kind);
    if (buffer == null) {
      return; // not connected: EOF at once
    }
    try (OutputBuffer.Reader reader = buffer.attach(kind + " of " + p.describe())) {
      while (true) {
        byte[] chunk = reader.peek(RequestChecks.CHUNK_MAX, POLL_MILLIS);
        if (chunk == null) {
          return;
        }
        if (chunk.length == 0) {
          if (ctx.isCancelled()) {
            throw TtrpcException.cancelled("reader of %s %s went away", kind, p.describe());
          }
          continue;
        }
        stream.send(OutputChunk.newBuilder().setData(ByteString.copyFrom(chunk)).build());
        reader.consume(chunk.length);
      }
    }
  }

  private void writeStdin(CallContext ctx, ServerStream<StdinChunk, WriteStdinResponse> stream) throws Exception {
    StdinChunk first = stream.receive();
    if (first == null) {
      throw TtrpcException.invalidArgument("WriteStdin needs a first message naming the process");
    }
    GuestProcess p = process(first.getContainerId(), first.getExecId());
    long written = 0;
    for (StdinChunk c = first; c != null; c = stream.receive()) {
      if (c != first && !sameProcess(first, c)) {
        throw TtrpcException.invalidArgument("WriteStdin messages must all name %s", p.describe());
      }
      ByteString data = RequestChecks.bytes("data", c.getData(), RequestChecks.CHUNK_MAX);
      if (!data.isEmpty()) {
        p.writeStdin(data.toByteArray());
        written += data.size();
      }
    }
    stream.send(WriteStdinResponse.newBuilder().setBytesWritten(written).build());
  }

  private static boolean sameProcess(StdinChunk first, StdinChunk c) {
    boolean containerOk = c.getContainerId().isEmpty() || c.getContainerId().equals(first.getContainerId());
    boolean execOk = c.getExecId().isEmpty() || c.getExecId().equals(first.getExecId());
    return containerOk && execOk;
  }

  private Empty closeStdin(CallContext ctx, ProcessRequest r) throws TtrpcException {
    process(r.getContainerId(), r.getExecId()).closeStdin();
    return Empty.getDefaultInstance();
  }

  private Empty resize(CallContext ctx, ResizeTtyRequest r) throws TtrpcException {
    GuestProcess p = process(r.getContainerId(), r.getExecId());
    p.resizeTerminal(RequestChecks.dimension("width", r.getWidth()), RequestChecks.dimension("height",
        r.getHeight()));
    return Empty.getDefaultInstance();
  }

  private GuestProcess process(String containerId, String execId) throws TtrpcException {
    return containers.get(RequestChecks.id("container_id", containerId))
        .process(RequestChecks.execIdOrInit(execId));
  }

  private static OutputKind kind(ReadOutputRequest r) throws TtrpcException {
    switch (r.getStream()) {
      case STDOUT:
        return OutputKind.STDOUT;
      case STDERR:
        return OutputKind.STDERR;
      default:
        throw TtrpcException.invalidArgument("stream must be STDOUT or STDERR, not %s", r.getStream());
    }
  }
}
