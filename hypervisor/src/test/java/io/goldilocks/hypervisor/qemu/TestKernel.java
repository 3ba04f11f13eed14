package io.goldilocks.hypervisor.qemu;

import io.goldilocks.testing.HostRequirements;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's cloud kernel, fetched once into {@code ${GOLDILOCKS_CACHE:-~/.cache/goldilocks}/kernel/<abi>/} (the
 * unpacked .deb: {@code boot/vmlinuz-<abi>}, {@code lib/modules/<abi>/}). The .deb itself is kept in
 * {@code <cache>/debs/}, where packaging's build-guest-image.sh keeps it too. {@code <abi>} is what
 * {@code apt-cache depends linux-image-cloud-amd64} names, or {@code $GOLDILOCKS_KERNEL_ABI}.
 */
final class TestKernel {
  private static final Pattern DEPENDS = Pattern.compile("Depends: linux-image-(\\S+-cloud-amd64)\\s*$",
      Pattern.MULTILINE);

  final String abi;
  final Path dir;

  private TestKernel(String abi, Path dir) {
    this.abi = abi;
    this.dir = dir;
  }

  Path vmlinuz() {
    return dir.resolve("boot/vmlinuz-" + abi);
  }

  /** A module's .ko by its name (e.g. virtio_console). */
  Path module(String name) throws IOException {
    Path modules = dir.resolve("lib/modules/" + abi + "/kernel");
    try (Stream<Path> walk = Files.walk(modules)) {
      return walk.filter(p -> p.getFileName().toString().equals(name + ".ko")).findFirst()
          .orElseThrow(() -> new IOException("module " + name + " not in " + modules));
    }
  }

  static Path cache() {
    String env = System.getenv("GOLDILOCKS_CACHE");
    return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache/goldilocks");
  }

  /** The kernel, fetching it if the cache lacks it; skips (dev machine) or fails (CI) when it cannot. */
  static TestKernel get() throws Exception {
    String abi = System.getenv("GOLDILOCKS_KERNEL_ABI");
    if (abi == null || abi.isBlank()) {
      abi = resolveAbi();
    }
    HostRequirements.require(abi != null, "apt-cache names no linux-image-cloud-amd64 kernel");
    TestKernel kernel = new TestKernel(abi, cache().resolve("kernel").resolve(abi));
    if (!Files.isRegularFile(kernel.vmlinuz())) {
      fetch(kernel);
    }
    HostRequirements.requireFile(kernel.vmlinuz(), "guest kernel");
    return kernel;
  }

  private static String resolveAbi() throws Exception {
    if (HostRequirements.findExecutable("apt-cache") == null) {
      return null;
    }
    Matcher m = DEPENDS.matcher(run(null, "apt-cache", "depends", "linux-image-cloud-amd64"));
    return m.find() ? m.group(1) : null;
  }

  private static void fetch(TestKernel kernel) throws Exception {
    Path debs = cache().resolve("debs");
    Files.createDirectories(debs);
    String pkg = "linux-image-" + kernel.abi + "-unsigned";
    Path deb = findDeb(debs, pkg);
    if (deb == null) {
      run(debs, "apt-get", "download", pkg);
      deb = findDeb(debs, pkg);
    }
    HostRequirements.require(deb != null, "apt-get download " + pkg + " failed");
    Path tmp = Files.createTempDirectory(kernel.dir.getParent() == null ? cache() : mkdirs(kernel.dir.getParent()),
        ".fetch-");
    try {
      run(null, "dpkg", "-x", deb.toString(), tmp.toString());
      Files.move(tmp, kernel.dir, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
      // another build unpacked it meanwhile
    } finally {
      VmCleaner.deleteRecursively(tmp);
    }
  }

  private static Path mkdirs(Path dir) throws IOException {
    return Files.createDirectories(dir);
  }

  private static Path findDeb(Path debs, String pkg) throws IOException {
    try (Stream<Path> list = Files.list(debs)) {
      return list.filter(p -> p.getFileName().toString().startsWith(pkg + "_")
          && p.getFileName().toString().endsWith(".deb")).findFirst().orElse(null);
    }
  }

  static String run(Path dir, String... command) throws Exception {
    Path out = Files.createTempFile("cmd", ".out");
    try {
      Process p = new ProcessBuilder(List.of(command)).directory(dir == null ? null : dir.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " timed out");
      }
      String text = Files.readString(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + text);
      }
      return text;
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
