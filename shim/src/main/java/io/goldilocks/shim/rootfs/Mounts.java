package io.goldilocks.shim.rootfs;

import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Mounts containerd's rootfs at {@code <bundle>/rootfs} and takes mounts down again, with util-linux's
 * {@code mount}/{@code umount} (the JDK has no mount(2)). Which paths are mounted is read from
 * {@code /proc/self/mountinfo}, so unmounting is idempotent and works from a fresh process ({@code delete}).
 *
 * <p>Thread-safe (stateless).
 */
public final class Mounts {
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
  private static final long COMMAND_TIMEOUT_SECONDS = 30;

  private Mounts() {}

  /** Mounts every spec at {@code target} in order (containerd's {@code mount.All}); undoes them on failure. */
  public static void mountAll(List<MountSpec> specs, Path target) throws TtrpcException {
    int done = 0;
    try {
      for (MountSpec spec : specs) {
        mount(spec, target);
        done++;
      }
    } catch (TtrpcException e) {
      for (int i = 0; i < done; i++) {
        unmountQuietly(target);
      }
      throw e;
    }
  }

  static void mount(MountSpec spec, Path target) throws TtrpcException {
    List<String> command = new ArrayList<>(List.of("mount"));
    if (!spec.isBind() && !spec.type().isEmpty()) {
      command.addAll(List.of("-t", spec.type()));
    }
    if (!spec.options().isEmpty()) {
      command.addAll(List.of("-o", String.join(",", spec.options())));
    }
    command.add(spec.source());
    command.add(target.toString());
    run(command, "mount " + spec.type() + " at " + target);
  }

  /** Unmounts {@code target} until nothing is mounted there; a no-op when nothing is. */
  public static void unmount(Path target) throws TtrpcException {
    for (int attempt = 0; attempt < 16 && isMountPoint(target); attempt++) {
      try {
        run(List.of("umount", target.toString()), "umount " + target);
      } catch (TtrpcException busy) {
        run(List.of("umount", "-l", target.toString()), "umount -l " + target);
      }
    }
    if (isMountPoint(target)) {
      throw TtrpcException.internal("%s is still mounted after unmounting", target);
    }
  }

  /** Unmounts every mount point at or below {@code dir}, deepest first (a VM share with bind-mounted rootfs). */
  public static void unmountUnder(Path dir) throws TtrpcException {
    Path root = dir.toAbsolutePath().normalize();
    List<Path> below = mountPoints().stream().filter(p -> p.startsWith(root))
        .sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList();
    for (Path mountPoint : below) {
      unmount(mountPoint);
    }
  }

  private static void unmountQuietly(Path target) {
    try {
      unmount(target);
    } catch (TtrpcException ignored) {
      // best effort while already failing: the caller reports the original error
    }
  }

  /** Whether anything is mounted at or below {@code dir}. */
  public static boolean hasMountsUnder(Path dir) {
    Path root = dir.toAbsolutePath().normalize();
    return mountPoints().stream().anyMatch(p -> p.startsWith(root));
  }

  /** Whether something is mounted exactly at {@code path}. */
  public static boolean isMountPoint(Path path) {
    return mountPoints().contains(path.toAbsolutePath().normalize());
  }

  static List<Path> mountPoints() {
    try {
      return parseMountPoints(Files.readString(MOUNTINFO, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Field 5 of each mountinfo line, with the kernel's octal escapes ({@code \040} for space) decoded. */
  static List<Path> parseMountPoints(String mountinfo) {
    List<Path> points = new ArrayList<>();
    for (String line : mountinfo.split("\n")) {
      String[] fields = line.split(" ");
      if (fields.length > 4) {
        points.add(Path.of(unescape(fields[4])));
      }
    }
    return points;
  }

  static String unescape(String field) {
    StringBuilder out = new StringBuilder(field.length());
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && i + 3 < field.length()
          && field.substring(i + 1, i + 4).chars().allMatch(d -> d >= '0' && d <= '7')) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static void run(List<String> command, String what) throws TtrpcException {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      byte[] output = process.getInputStream().readNBytes(8192);
      if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw TtrpcException.deadlineExceeded("%s: no answer within %ds", what, COMMAND_TIMEOUT_SECONDS);
      }
      if (process.exitValue() != 0) {
        throw TtrpcException.internal("%s failed (exit %d): %s", what, process.exitValue(),
            new String(output, StandardCharsets.UTF_8).trim());
      }
    } catch (IOException e) {
      throw new TtrpcException(Code.INTERNAL, what + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TtrpcException.cancelled("%s interrupted", what);
    }
  }
}
