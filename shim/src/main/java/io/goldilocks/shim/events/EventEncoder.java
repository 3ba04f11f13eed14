package io.goldilocks.shim.events;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.goldilocks.api.containerd.events.TaskCreate;
import io.goldilocks.api.containerd.events.TaskDelete;
import io.goldilocks.api.containerd.events.TaskExecAdded;
import io.goldilocks.api.containerd.events.TaskExecStarted;
import io.goldilocks.api.containerd.events.TaskExit;
import io.goldilocks.api.containerd.events.TaskIO;
import io.goldilocks.api.containerd.events.TaskOOM;
import io.goldilocks.api.containerd.events.TaskPaused;
import io.goldilocks.api.containerd.events.TaskResumed;
import io.goldilocks.api.containerd.events.TaskStart;
import io.goldilocks.api.containerd.types.Mount;
import io.goldilocks.shim.rootfs.MountSpec;
import java.time.Instant;

/**
 * {@link TaskEvent} → {@code containerd.events.*} message in an {@code Any}. The type URL is the bare proto name
 * ({@code containerd.events.TaskExit}): what containerd 1.6's typeurl registry resolves.
 *
 * <p>Thread-safe (stateless).
 */
public final class EventEncoder {
  private EventEncoder() {}

  public static Any encode(TaskEvent event) {
    Message message = toMessage(event);
    return Any.newBuilder().setTypeUrl(message.getDescriptorForType().getFullName())
        .setValue(message.toByteString()).build();
  }

  static Message toMessage(TaskEvent event) {
    if (event instanceof TaskEvent.Created e) {
      TaskCreate.Builder b = TaskCreate.newBuilder().setContainerId(e.containerId()).setBundle(e.bundle())
          .setIo(TaskIO.newBuilder().setStdin(e.stdin()).setStdout(e.stdout()).setStderr(e.stderr())
              .setTerminal(e.terminal()))
          .setPid(e.pid());
      for (MountSpec m : e.rootfs()) {
        b.addRootfs(Mount.newBuilder().setType(m.type()).setSource(m.source()).addAllOptions(m.options()));
      }
      return b.build();
    }
    if (event instanceof TaskEvent.Started e) {
      return TaskStart.newBuilder().setContainerId(e.containerId()).setPid(e.pid()).build();
    }
    if (event instanceof TaskEvent.ExecAdded e) {
      return TaskExecAdded.newBuilder().setContainerId(e.containerId()).setExecId(e.execId()).build();
    }
    if (event instanceof TaskEvent.ExecStarted e) {
      return TaskExecStarted.newBuilder().setContainerId(e.containerId()).setExecId(e.execId()).setPid(e.pid())
          .build();
    }
    if (event instanceof TaskEvent.Exited e) {
      return TaskExit.newBuilder().setContainerId(e.containerId())
          .setId(e.execId().isEmpty() ? e.containerId() : e.execId()).setPid(e.pid())
          .setExitStatus(e.exitStatus()).setExitedAt(timestamp(e.exitedAt())).build();
    }
    if (event instanceof TaskEvent.Deleted e) {
      return TaskDelete.newBuilder().setContainerId(e.containerId()).setId(e.execId()).setPid(e.pid())
          .setExitStatus(e.exitStatus()).setExitedAt(timestamp(e.exitedAt())).build();
    }
    if (event instanceof TaskEvent.Paused e) {
      return TaskPaused.newBuilder().setContainerId(e.containerId()).build();
    }
    if (event instanceof TaskEvent.Resumed e) {
      return TaskResumed.newBuilder().setContainerId(e.containerId()).build();
    }
    if (event instanceof TaskEvent.OomKilled e) {
      return TaskOOM.newBuilder().setContainerId(e.containerId()).build();
    }
    throw new IllegalArgumentException("unknown event " + event);
  }

  public static Timestamp timestamp(Instant at) {
    return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
  }
}
