package io.goldilocks.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parsers against files in the kernel's formats (a fake cgroup tree in a temp dir). */
class CgroupStatsTest {
  @TempDir
  Path mount;

  @Test
  void readsAV2Cgroup() throws Exception {
    Files.writeString(mount.resolve("cgroup.controllers"), "cpu memory pids io\n");
    Path c = Files.createDirectories(mount.resolve("goldilocks/c1"));
    Files.writeString(c.resolve("cpu.stat"), "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n"
        + "nr_periods 0\nnr_throttled 0\nthrottled_usec 0\n");
    Files.writeString(c.resolve("memory.current"), "4096\n");
    Files.writeString(c.resolve("memory.max"), "max\n");
    Files.writeString(c.resolve("memory.stat"), "anon 1024\nfile 2048\npgfault 7\n");
    Files.writeString(c.resolve("memory.events"), "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
    Files.writeString(c.resolve("pids.current"), "2\n");
    Files.writeString(c.resolve("pids.max"), "100\n");
    Files.writeString(c.resolve("io.stat"), "8:0 rbytes=10 wbytes=20 rios=1 wios=2 dbytes=0 dios=0\n");
    CgroupStats stats = new CgroupStats(mount);
    CgroupStats.Snapshot s = stats.read("/goldilocks/c1");
    assertThat(s.cpuStat()).containsEntry("usage_usec", 1500L).containsEntry("system_usec", 500L);
    assertThat(s.memoryCurrent()).isEqualTo(4096);
    assertThat(s.memoryMax()).isEqualTo(CgroupStats.UNLIMITED);
    assertThat(s.memoryStat()).containsEntry("file", 2048L);
    assertThat(s.memoryEvents()).containsEntry("oom_kill", 1L);
    assertThat(s.pidsMax()).isEqualTo(100);
    assertThat(s.io()).singleElement().satisfies(d -> {
      assertThat(d.major()).isEqualTo(8);
      assertThat(d.values()).containsEntry("wbytes", 20L);
    });
    assertThat(s.swapCurrent()).isZero(); // absent file
    assertThat(stats.oomKills("/goldilocks/c1")).isEqualTo(1);
  }

  @Test
  void withoutCgroupV2StatsAreAFailedPreconditionButOomKillsComeFromV1() throws Exception {
    Path v1 = Files.createDirectories(mount.resolve("memory/goldilocks/c1"));
    Files.writeString(v1.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
    CgroupStats stats = new CgroupStats(mount);
    assertThatThrownBy(() -> stats.read("/goldilocks/c1"))
        .satisfies(e -> assertThat(((TtrpcException) e).code()).isEqualTo(Code.FAILED_PRECONDITION));
    assertThat(stats.oomKills("/goldilocks/c1")).isEqualTo(2);
    assertThat(stats.oomKills("/goldilocks/unknown")).isZero();
  }
}
