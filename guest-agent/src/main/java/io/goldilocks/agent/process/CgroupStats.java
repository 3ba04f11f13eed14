package io.goldilocks.agent.process;

import io.goldilocks.ttrpc.TtrpcException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a container's cgroup v2 files (cpu.stat, memory.*, pids.*, io.stat) and its OOM-kill counter.
 *
 * <p>The guest mounts cgroup2 at /sys/fs/cgroup. The OOM counter also understands a cgroup v1 memory controller
 * (memory.oom_control), so host-side tests on v1 machines still see OOM kills. Thread-safe (immutable).
 */
public final class CgroupStats {
  /** "max" in a cgroup limit file. */
  public static final long UNLIMITED = -1L; // as unsigned: UINT64_MAX

  /** Everything read from one cgroup. Missing files read as empty maps / 0. Immutable. */
  public record Snapshot(Map<String, Long> cpuStat, long memoryCurrent, long memoryMax, long swapCurrent,
      long swapMax, Map<String, Long> memoryStat, Map<String, Long> memoryEvents, long pidsCurrent, long pidsMax,
      List<IoDevice> io) {}

  /** One line of io.stat. Immutable. */
  public record IoDevice(long major, long minor, Map<String, Long> values) {}

  private final Path mount;

  /** @param mount the cgroup mount point, /sys/fs/cgroup */
  public CgroupStats(Path mount) {
    this.mount = mount;
  }

  /** Whether {@link #mount} is a cgroup v2 (unified) hierarchy. */
  public boolean isUnified() {
    return Files.exists(mount.resolve("cgroup.controllers"));
  }

  /** Reads the metrics of {@code cgroupPath} (relative to the mount); FAILED_PRECONDITION without cgroup v2. */
  public Snapshot read(String cgroupPath) throws TtrpcException {
    if (!isUnified()) {
      throw TtrpcException.failedPrecondition("no cgroup v2 hierarchy at %s", mount);
    }
    Path dir = dir(cgroupPath);
    if (!Files.isDirectory(dir)) {
      throw TtrpcException.notFound("cgroup %s does not exist", cgroupPath);
    }
    return new Snapshot(flatKeyed(dir.resolve("cpu.stat")), single(dir.resolve("memory.current")),
        single(dir.resolve("memory.max")), single(dir.resolve("memory.swap.current")),
        single(dir.resolve("memory.swap.max")), flatKeyed(dir.resolve("memory.stat")),
        flatKeyed(dir.resolve("memory.events")), single(dir.resolve("pids.current")),
        single(dir.resolve("pids.max")), io(dir.resolve("io.stat")));
  }

  /** The number of OOM kills in the cgroup so far (0 when unknown). */
  public long oomKills(String cgroupPath) {
    try {
      if (isUnified()) {
        return flatKeyed(dir(cgroupPath).resolve("memory.events")).getOrDefault("oom_kill", 0L);
      }
      Path v1 = mount.resolve("memory").resolve(relative(cgroupPath)).resolve("memory.oom_control");
      return flatKeyed(v1).getOrDefault("oom_kill", 0L);
    } catch (TtrpcException e) {
      return 0;
    }
  }

  /**
   * Removes an (empty) cgroup directory and its empty children in every hierarchy under the mount: the unified one
   * and each v1 controller. runc removes a container's own cgroup, not the parent it created; tests and the
   * self-test use a private parent and remove it with this. Best effort.
   */
  public void removeEmpty(String cgroupPath) {
    List<Path> candidates = new ArrayList<>(List.of(dir(cgroupPath)));
    try (java.util.stream.Stream<Path> hierarchies = Files.list(mount)) {
      hierarchies.forEach(h -> candidates.add(h.resolve(relative(cgroupPath))));
    } catch (IOException e) {
      // no hierarchies to look at
    }
    for (Path dir : candidates) {
      if (Files.isDirectory(dir)) {
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
          walk.filter(Files::isDirectory).sorted(java.util.Comparator.reverseOrder())
              .forEach(d -> d.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
          // busy or gone: leave it
        }
      }
    }
  }

  private Path dir(String cgroupPath) {
    return mount.resolve(relative(cgroupPath));
  }

  private static String relative(String cgroupPath) {
    return cgroupPath.startsWith("/") ? cgroupPath.substring(1) : cgroupPath;
  }

  /** "key value" lines. */
  static Map<String, Long> flatKeyed(Path file) throws TtrpcException {
    Map<String, Long> out = new HashMap<>();
    for (String line : lines(file)) {
      String[] kv = line.trim().split("\\s+");
      if (kv.length == 2) {
        out.put(kv[0], parse(kv[1]));
      }
    }
    return out;
  }

  /** One value, "max" = {@link #UNLIMITED}; 0 when the file is absent. */
  static long single(Path file) throws TtrpcException {
    List<String> lines = lines(file);
    return lines.isEmpty() ? 0 : parse(lines.get(0).trim());
  }

  /** "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0" lines. */
  static List<IoDevice> io(Path file) throws TtrpcException {
    List<IoDevice> out = new ArrayList<>();
    for (String line : lines(file)) {
      String[] fields = line.trim().split("\\s+");
      String[] dev = fields[0].split(":");
      if (dev.length != 2) {
        continue;
      }
      Map<String, Long> values = new HashMap<>();
      for (int i = 1; i < fields.length; i++) {
        String[] kv = fields[i].split("=");
        if (kv.length == 2) {
          values.put(kv[0], parse(kv[1]));
        }
      }
      out.add(new IoDevice(parse(dev[0]), parse(dev[1]), values));
    }
    return out;
  }

  private static long parse(String value) {
    if ("max".equals(value)) {
      return UNLIMITED;
    }
    try {
      return Long.parseUnsignedLong(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static List<String> lines(Path file) throws TtrpcException {
    try {
      return Files.readAllLines(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw TtrpcException.internal("cannot read %s: %s", file, e.getMessage());
    }
  }
}
