package io.goldilocks.shim.service;

import com.google.protobuf.Any;
import io.goldilocks.api.containerd.cgroups.v2.CPUStat;
import io.goldilocks.api.containerd.cgroups.v2.MemoryEvents;
import io.goldilocks.api.containerd.cgroups.v2.MemoryStat;
import io.goldilocks.api.containerd.cgroups.v2.Metrics;
import io.goldilocks.api.containerd.cgroups.v2.PidsStat;
import io.goldilocks.api.containerd.runc.v1.ProcessDetails;
import io.goldilocks.api.containerd.task.v2.CreateTaskRequest;
import io.goldilocks.api.containerd.task.v2.ExecProcessRequest;
import io.goldilocks.api.containerd.task.v2.PidsResponse;
import io.goldilocks.api.containerd.task.v2.StateResponse;
import io.goldilocks.api.containerd.types.Mount;
import io.goldilocks.api.containerd.types.task.Status;
import io.goldilocks.shim.events.EventEncoder;
import io.goldilocks.shim.io.IoSpec;
import io.goldilocks.shim.rootfs.MountSpec;
import io.goldilocks.shim.sandbox.ContainerStats;
import io.goldilocks.shim.sandbox.ProcessInfo;
import io.goldilocks.shim.task.CreateConfig;
import io.goldilocks.shim.task.ExecSpec;
import io.goldilocks.shim.task.ProcessView;
import io.goldilocks.ttrpc.TtrpcException;
import java.nio.file.Path;
import java.util.List;

/**
 * Conversions between containerd's generated messages and the shim's domain records: generated classes stop here.
 *
 * <p>Thread-safe (stateless).
 */
final class Protos {
  /** ctr and containerd look stats up by this name (cgroups v2: the guest runs cgroup v2). */
  static final String METRICS_V2_TYPE = "io.containerd.cgroups.v2.Metrics";
  /** The runc shim's per-process detail in PidsResponse, which {@code ctr task ps} prints. */
  static final String PROCESS_DETAILS_TYPE = "containerd.runc.v1.ProcessDetails";
  static final int MAX_JSON_BYTES = 1 << 20;

  private Protos() {}

  static CreateConfig createConfig(CreateTaskRequest r) throws TtrpcException {
    if (r.getId().isEmpty() || r.getBundle().isEmpty()) {
      throw TtrpcException.invalidArgument("create needs an id and a bundle");
    }
    List<MountSpec> mounts = r.getRootfsList().stream().map(Protos::mount).toList();
    IoSpec io = new IoSpec(r.getStdin(), r.getStdout(), r.getStderr(), r.getTerminal());
    return new CreateConfig(r.getId(), Path.of(r.getBundle()), mounts, io);
  }

  static MountSpec mount(Mount m) {
    return new MountSpec(m.getType(), m.getSource(), m.getOptionsList());
  }

  static ExecSpec execSpec(ExecProcessRequest r) throws TtrpcException {
    if (r.getExecId().isEmpty()) {
      throw TtrpcException.invalidArgument("exec needs an exec id");
    }
    byte[] process = json(r.getSpec(), TaskService.PROCESS_SPEC_TYPE, "spec");
    IoSpec io = new IoSpec(r.getStdin(), r.getStdout(), r.getStderr(), r.getTerminal());
    return new ExecSpec(r.getId(), r.getExecId(), process, io);
  }

  /** The JSON value of an OCI Any (containerd's typeurl JSON-encodes non-proto types). */
  static byte[] json(Any any, String expectedType, String field) throws TtrpcException {
    if (!any.getTypeUrl().equals(expectedType)) {
      throw TtrpcException.invalidArgument("%s has type %s, want %s", field, any.getTypeUrl(), expectedType);
    }
    if (any.getValue().size() > MAX_JSON_BYTES) {
      throw TtrpcException.invalidArgument("%s is larger than %d bytes", field, MAX_JSON_BYTES);
    }
    return any.getValue().toByteArray();
  }

  static StateResponse state(ProcessView v) {
    StateResponse.Builder b = StateResponse.newBuilder().setId(v.execId().isEmpty() ? v.containerId() : v.execId())
        .setBundle(v.bundle().toString()).setPid(v.pid()).setStatus(status(v))
        .setStdin(v.io().stdin()).setStdout(v.io().stdout()).setStderr(v.io().stderr())
        .setTerminal(v.io().terminal()).setExecId(v.execId());
    v.exit().ifPresent(e -> b.setExitStatus(e.code()).setExitedAt(EventEncoder.timestamp(e.exitedAt())));
    return b.build();
  }

  private static Status status(ProcessView v) {
    return switch (v.phase()) {
      case CREATED -> Status.CREATED;
      case RUNNING -> Status.RUNNING;
      case PAUSED -> Status.PAUSED;
      case STOPPED, DELETED -> Status.STOPPED;
    };
  }

  static PidsResponse pids(List<ProcessInfo> processes) {
    PidsResponse.Builder b = PidsResponse.newBuilder();
    for (ProcessInfo p : processes) {
      io.goldilocks.api.containerd.types.task.ProcessInfo.Builder info =
          io.goldilocks.api.containerd.types.task.ProcessInfo.newBuilder().setPid(p.pid());
      if (!p.execId().isEmpty()) {
        info.setInfo(Any.newBuilder().setTypeUrl(PROCESS_DETAILS_TYPE)
            .setValue(ProcessDetails.newBuilder().setExecId(p.execId()).build().toByteString()));
      }
      b.addProcesses(info);
    }
    return b.build();
  }

  static Any metrics(ContainerStats s) {
    Metrics metrics = Metrics.newBuilder()
        .setPids(PidsStat.newBuilder().setCurrent(s.pidsCurrent()).setLimit(s.pidsLimit()))
        .setCpu(CPUStat.newBuilder().setUsageUsec(s.cpuUsageUsec()).setUserUsec(s.cpuUserUsec())
            .setSystemUsec(s.cpuSystemUsec()))
        .setMemory(MemoryStat.newBuilder().setUsage(s.memoryUsageBytes()).setUsageLimit(s.memoryLimitBytes())
            .setSwapUsage(s.swapUsageBytes()))
        .setMemoryEvents(MemoryEvents.newBuilder().setOomKill(s.oomKills()))
        .build();
    return Any.newBuilder().setTypeUrl(METRICS_V2_TYPE).setValue(metrics.toByteString()).build();
  }
}
