package io.goldilocks.shim.launch;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;

/**
 * Encodes {@code containerd.task.v2.DeleteResponse} for {@code delete}'s stdout by hand:
 *
 * <pre>
 * message DeleteResponse { uint32 pid = 1; uint32 exit_status = 2; google.protobuf.Timestamp exited_at = 3; }
 * message Timestamp      { int64 seconds = 1; int32 nanos = 2; }
 * </pre>
 *
 * <p>Why not the generated class: building its file descriptor (shim.proto and its imports) costs class loading on a
 * path containerd waits for; three fields do not need it. A test decodes the bytes with the generated parser.
 *
 * <p>Thread-safe (stateless).
 */
public final class DeleteResponseWriter {
  private DeleteResponseWriter() {}

  public static byte[] encode(DeleteCommand.Outcome outcome) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(32);
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    if (outcome.pid() != 0) {
      out.writeUInt32(1, (int) outcome.pid());
    }
    if (outcome.exitStatus() != 0) {
      out.writeUInt32(2, outcome.exitStatus());
    }
    byte[] timestamp = timestamp(outcome.exitedAt());
    out.writeByteArray(3, timestamp);
    out.flush();
    return bytes.toByteArray();
  }

  private static byte[] timestamp(Instant at) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(16);
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    if (at.getEpochSecond() != 0) {
      out.writeInt64(1, at.getEpochSecond());
    }
    if (at.getNano() != 0) {
      out.writeInt32(2, at.getNano());
    }
    out.flush();
    return bytes.toByteArray();
  }
}
