package io.goldilocks.agent;

import io.goldilocks.agent.process.CgroupStats;
import io.goldilocks.agent.process.ContainerManager;
import io.goldilocks.api.agent.v1.ContainerRequest;
import io.goldilocks.api.agent.v1.CpuStat;
import io.goldilocks.api.agent.v1.IoEntry;
import io.goldilocks.api.agent.v1.MemoryEvents;
import io.goldilocks.api.agent.v1.MemoryStat;
import io.goldilocks.api.agent.v1.PidsStat;
import io.goldilocks.api.agent.v1.StatsResponse;
import io.goldilocks.ttrpc.CallContext;
import io.goldilocks.ttrpc.Service;
import io.goldilocks.ttrpc.TtrpcException;
import java.util.Map;

/** Stats of goldilocks.agent.v1.Agent: the container's cgroup v2 files as metrics. Thread-safe (stateless). */
final class StatsRpc {
  private static final int IO_MAX = 256;

  private final ContainerManager containers;

  StatsRpc(ContainerManager containers) {
    this.containers = containers;
  }

  void register(Service.Builder b) {
    b.unary("Stats", ContainerRequest.parser(), this::stats);
  }

  private StatsResponse stats(CallContext ctx, ContainerRequest r) throws TtrpcException {
    return toProto(containers.stats(RequestChecks.id("container_id", r.getContainerId())));
  }

  static StatsResponse toProto(CgroupStats.Snapshot s) {
    Map<String, Long> cpu = s.cpuStat();
    Map<String, Long> mem = s.memoryStat();
    Map<String, Long> ev = s.memoryEvents();
    StatsResponse.Builder out = StatsResponse.newBuilder()
        .setPids(PidsStat.newBuilder().setCurrent(s.pidsCurrent())
            .setLimit(s.pidsMax() == CgroupStats.UNLIMITED ? 0 : s.pidsMax()))
        .setCpu(CpuStat.newBuilder().setUsageUsec(get(cpu, "usage_usec")).setUserUsec(get(cpu, "user_usec"))
            .setSystemUsec(get(cpu, "system_usec")).setNrPeriods(get(cpu, "nr_periods"))
            .setNrThrottled(get(cpu, "nr_throttled")).setThrottledUsec(get(cpu, "throttled_usec")))
        .setMemory(MemoryStat.newBuilder().setUsage(s.memoryCurrent()).setUsageLimit(s.memoryMax())
            .setSwapUsage(s.swapCurrent()).setSwapLimit(s.swapMax()).setAnon(get(mem, "anon"))
            .setFile(get(mem, "file")).setKernelStack(get(mem, "kernel_stack")).setSlab(get(mem, "slab"))
            .setSock(get(mem, "sock")).setShmem(get(mem, "shmem")).setFileMapped(get(mem, "file_mapped"))
            .setFileDirty(get(mem, "file_dirty")).setFileWriteback(get(mem, "file_writeback"))
            .setPgfault(get(mem, "pgfault")).setPgmajfault(get(mem, "pgmajfault"))
            .setInactiveAnon(get(mem, "inactive_anon")).setActiveAnon(get(mem, "active_anon"))
            .setInactiveFile(get(mem, "inactive_file")).setActiveFile(get(mem, "active_file"))
            .setUnevictable(get(mem, "unevictable")))
        .setMemoryEvents(MemoryEvents.newBuilder().setLow(get(ev, "low")).setHigh(get(ev, "high"))
            .setMax(get(ev, "max")).setOom(get(ev, "oom")).setOomKill(get(ev, "oom_kill")));
    s.io().stream().limit(IO_MAX).forEach(d -> out.addIo(IoEntry.newBuilder().setMajor(d.major())
        .setMinor(d.minor()).setRbytes(get(d.values(), "rbytes")).setWbytes(get(d.values(), "wbytes"))
        .setRios(get(d.values(), "rios")).setWios(get(d.values(), "wios"))));
    return out.build();
  }

  private static long get(Map<String, Long> m, String key) {
    return m.getOrDefault(key, 0L);
  }
}
