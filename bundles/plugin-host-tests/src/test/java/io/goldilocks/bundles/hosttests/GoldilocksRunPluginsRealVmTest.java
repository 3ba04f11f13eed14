package io.goldilocks.bundles.hosttests;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldilocks.cli.GoldilocksCli;
import io.goldilocks.testing.HostRequirements;
import io.goldilocks.testing.PodNetwork;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugins on the real path: {@code goldilocks run} (a separate JVM, as a user runs it) with its per-sandbox plugin
 * host, a real QEMU guest, an installed-style prefix ({@code $GOLDILOCKS_PREFIX/bundles}, {@code lib/felix}). Each
 * TCG boot costs about 10 s here, so the checks share three boots.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class GoldilocksRunPluginsRealVmTest {
  private static final String HELLO_JAR = "goldilocks-example-hello.jar";

  @TempDir Path tmp;

  /**
   * HTTP from the node side of a CNI-bridge-style pod network to the pod IP reaches busybox httpd in the container in
   * the VM (the answer is the guest's kernel release, which the host does not have); afterwards the tap, the tc
   * filters, QEMU, virtiofsd and the runtime directories are gone.
   */
  @Test
  void httpToThePodIpReachesTheGuestAndTeardownLeavesNothing() throws Exception {
    Path prefix = prefixWithShippedBundles();
    Path rootfs = busyboxRootfs(tmp.resolve("rootfs"));
    Path runtime = Files.createDirectories(tmp.resolve("run"));
    try (PodNetwork pod = PodNetwork.create()) {
      Cli server = Cli.run(prefix, runtime, "--no-stdin", "--netns", pod.podNetns().toString(), "--rootfs",
          rootfs.toString(), "--", "sh", "-c",
          "mkdir -p /www && uname -r > /www/index.html && echo serving && exec httpd -f -p 8080 -h /www");
      try {
        assertThat(server.stdoutLine(Duration.ofMinutes(3))).as("stderr: %s", server.err()).isEqualTo("serving");
        String answer = awaitHttp(pod, server);
        assertThat(answer.strip()).isNotEmpty().isNotEqualTo(hostKernel()).matches("[0-9]+\\.[0-9]+\\S*");
        assertThat(pod.podLinks()).contains("tap0_gl");
        assertThat(pod.podIngressFilters()).contains("tap0_gl");
      } finally {
        server.interrupt();
      }
      assertThat(server.process.waitFor(2, TimeUnit.MINUTES)).isTrue();
      assertThat(pod.podLinks()).doesNotContain("tap0_gl");
      assertThat(pod.podIngressFilters()).doesNotContain("mirred");
      assertThat(leftovers(runtime)).isEmpty();
    }
  }

  /**
   * With a sandbox running: example-hello 1.0.0 is replaced by 2.0.0 and a broken jar is dropped in. The running
   * sandbox's host swaps too and lists the broken jar; a new container in a new sandbox gets 2.0.0's greeting; the
   * running container keeps working. A GPU request fails with the gpu bundle's reason, an unknown device kind with an
   * error naming the plugins and the broken bundle; neither boots a VM, nothing running is disturbed.
   */
  @Test
  void hotSwapAndBrokenJarWithASandboxRunning() throws Exception {
    Path prefix = prefixWithShippedBundles();
    Path bundles = prefix.resolve("bundles");
    Path rootfs = busyboxRootfs(tmp.resolve("rootfs"));
    Path runtime = Files.createDirectories(tmp.resolve("run"));

    Cli first = Cli.run(prefix, runtime, "--device", "example.com/hello=world", "--rootfs", rootfs.toString(), "--",
        "sh", "-c", "echo \"$HELLO_GREETING\"; exec cat");
    try {
      assertThat(first.stdoutLine(Duration.ofMinutes(3))).as("stderr: %s", first.err())
          .isEqualTo("hello, world (example-hello 1)");
      assertThat(bundlesTable(runtime)).containsPattern("io.goldilocks.bundles.example.hello +1\\.0\\.0 +ACTIVE");

      swap(tmp.resolve("hello-v2.jar"), bundles.resolve(HELLO_JAR));
      Files.write(bundles.resolve("truncated.jar"), new byte[] {'P', 'K', 3, 4, 'x'});
      String table = awaitBundles(runtime, t -> t.matches("(?s).*io.goldilocks.bundles.example.hello +2\\.0\\.0 +"
          + "ACTIVE.*") && t.contains("truncated.jar"));
      assertThat(table).containsPattern("truncated.jar +- +NOT_INSTALLED");

      Cli second = Cli.run(prefix, runtime, "--no-stdin", "--device", "example.com/hello=world", "--rootfs",
          rootfs.toString(), "--", "sh", "-c", "echo \"$HELLO_GREETING\"");
      assertThat(second.stdoutLine(Duration.ofMinutes(3))).as("stderr: %s", second.err())
          .isEqualTo("HELLO AGAIN, world (example-hello 2)");
      assertThat(second.process.waitFor(2, TimeUnit.MINUTES)).isTrue();
      assertThat(second.process.exitValue()).isZero();

      Cli gpu = Cli.run(prefix, runtime, "--no-stdin", "--device", "nvidia.com/gpu=0", "--rootfs",
          rootfs.toString(), "--", "true");
      assertThat(gpu.process.waitFor(2, TimeUnit.MINUTES)).isTrue();
      assertThat(gpu.process.exitValue()).isEqualTo(125);
      assertThat(gpu.err()).contains("device plugin gpu").contains("GPU passthrough is not available on this host");

      Cli unknown = Cli.run(prefix, runtime, "--no-stdin", "--device", "example.com/unknown=x", "--rootfs",
          rootfs.toString(), "--", "true");
      assertThat(unknown.process.waitFor(2, TimeUnit.MINUTES)).isTrue();
      assertThat(unknown.process.exitValue()).isEqualTo(125);
      assertThat(unknown.err()).contains("no device plugin supports").contains("truncated.jar");

      first.stdin().write("still here\n".getBytes(StandardCharsets.UTF_8));
      first.stdin().flush();
      assertThat(first.stdoutLine(Duration.ofMinutes(1))).isEqualTo("still here");
      first.stdin().close();
      assertThat(first.process.waitFor(2, TimeUnit.MINUTES)).isTrue();
      assertThat(first.process.exitValue()).as("stderr: %s", first.err()).isZero();
    } finally {
      first.interrupt();
      first.process.waitFor(2, TimeUnit.MINUTES);
    }
    assertThat(leftovers(runtime)).isEmpty();
  }

  // ---- fixtures ----------------------------------------------------------------------------------------------

  /** An install-style prefix: bundles/ with the shipped bundles, lib/felix/ with the host's infrastructure. */
  private Path prefixWithShippedBundles() throws IOException {
    HostRequirements.requireRoot();
    HostRequirements.requireExecutable("qemu-system-x86_64");
    HostRequirements.requireExecutable("/usr/lib/qemu/virtiofsd");
    HostRequirements.requireExecutable("/bin/busybox");
    HostRequirements.requireExecutable("curl");
    HostRequirements.requireExecutable("tc");
    HostRequirements.require(Files.isRegularFile(guestDir().resolve("vmlinuz")),
        "guest image not built at " + guestDir() + " (mvn -B -pl packaging -am package)");
    Path testBundles = Path.of(System.getProperty("goldilocks.test.bundles"));
    Path prefix = tmp.resolve("prefix");
    Path bundles = Files.createDirectories(prefix.resolve("bundles"));
    Path felix = Files.createDirectories(prefix.resolve("lib/felix"));
    for (String jar : List.of("goldilocks-storage-virtiofs.jar", "goldilocks-network-tcfilter.jar",
        "goldilocks-gpu.jar", HELLO_JAR)) {
      Files.copy(testBundles.resolve(jar), bundles.resolve(jar));
    }
    Files.copy(testBundles.resolve("goldilocks-example-hello-v2.jar"), tmp.resolve("hello-v2.jar"));
    try (Stream<Path> infra = Files.list(Path.of(System.getProperty("goldilocks.felix.infra")))) {
      for (Path jar : infra.toList()) {
        Files.copy(jar, felix.resolve(jar.getFileName()));
      }
    }
    return prefix;
  }

  private static Path guestDir() {
    return Path.of(System.getProperty("goldilocks.felix.infra")).resolve("../../../packaging/target/guest")
        .normalize();
  }

  /** As docs/plugins.md says to deploy: copy beside under a name FileInstall ignores, then rename over. */
  private static void swap(Path newJar, Path target) throws IOException {
    Path part = target.resolveSibling("." + target.getFileName() + ".part");
    Files.copy(newJar, part, StandardCopyOption.REPLACE_EXISTING);
    Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static Path busyboxRootfs(Path dir) throws IOException, InterruptedException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    for (String d : List.of("tmp", "proc", "dev", "sys", "etc")) {
      Files.createDirectories(dir.resolve(d));
    }
    Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
    Process list = new ProcessBuilder("/bin/busybox", "--list").start();
    String applets = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    list.waitFor(10, TimeUnit.SECONDS);
    for (String applet : applets.split("\n")) {
      if (!applet.isBlank() && !Files.exists(bin.resolve(applet))) {
        Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
      }
    }
    Files.writeString(dir.resolve("etc/passwd"), "root:x:0:0:root:/:/bin/sh\n");
    return dir;
  }

  private static String awaitHttp(PodNetwork pod, Cli server) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    PodNetwork.Result last = null;
    while (Instant.now().isBefore(deadline) && server.process.isAlive()) {
      last = pod.httpGetPod(8080);
      if (last.exit() == 0) {
        return last.out();
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no HTTP answer from the pod IP; last curl: " + last + "; stderr: " + server.err());
  }

  private String bundlesTable(Path runtime) throws Exception {
    Process p = new ProcessBuilder(javaArgv("bundles", "--run-root", runtime.resolve("sandbox").toString()))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  private String awaitBundles(Path runtime, java.util.function.Predicate<String> ready) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    String table = "";
    while (Instant.now().isBefore(deadline)) {
      table = bundlesTable(runtime);
      if (ready.test(table)) {
        return table;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("bundle listing never showed the swap:\n" + table);
  }

  /** Sandbox and VM directories, mounts and processes left under the runtime root. */
  private static List<String> leftovers(Path runtime) throws IOException {
    List<String> left = new ArrayList<>();
    for (String kind : List.of("sandbox", "vm")) {
      File[] dirs = runtime.resolve(kind).toFile().listFiles();
      for (File dir : dirs == null ? new File[0] : dirs) {
        left.add("directory: " + dir);
      }
    }
    for (String mount : Files.readAllLines(Path.of("/proc/mounts"))) {
      if (mount.contains(runtime.toString())) {
        left.add("mount: " + mount);
      }
    }
    long self = ProcessHandle.current().pid();
    ProcessHandle.allProcesses().filter(p -> p.pid() != self).forEach(p -> {
      String line = p.info().commandLine().orElse("");
      if (line.contains(runtime.toString()) && (line.contains("qemu") || line.contains("virtiofsd"))) {
        left.add("process " + p.pid() + ": " + line);
      }
    });
    return left;
  }

  private static String hostKernel() throws Exception {
    Process p = new ProcessBuilder("uname", "-r").start();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
  }

  private static List<String> javaArgv(String... args) {
    List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), GoldilocksCli.class.getName()));
    argv.addAll(List.of(args));
    return argv;
  }

  /** One {@code goldilocks} process: stdout read line by line, stderr collected. */
  private static final class Cli {
    /** Blocking reads each get a thread: the common pool may have a single one on a 2-core machine. */
    private static final java.util.concurrent.Executor OWN_THREAD = task -> {
      Thread t = new Thread(task, "cli-read");
      t.setDaemon(true);
      t.start();
    };
    final Process process;
    private final BufferedReader stdout;
    private final CompletableFuture<String> stderr;

    private Cli(Process process) {
      this.process = process;
      this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.stderr = read(process.getErrorStream());
    }

    static Cli run(Path prefix, Path runtime, String... args) throws IOException {
      List<String> argv = javaArgv("run");
      argv.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(argv);
      pb.environment().put("GOLDILOCKS_RUNTIME_DIR", runtime.toString());
      pb.environment().put("GOLDILOCKS_PREFIX", prefix.toString());
      pb.environment().put("GOLDILOCKS_GUEST_DIR", guestDir().toString());
      return new Cli(pb.start());
    }

    OutputStream stdin() {
      return process.getOutputStream();
    }

    /** The next stdout line, or null at end of output or after {@code timeout}. */
    String stdoutLine(Duration timeout) throws Exception {
      CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
        try {
          return stdout.readLine();
        } catch (IOException e) {
          return null;
        }
      }, OWN_THREAD);
      try {
        return line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        return null;
      }
    }

    /** The stderr so far (complete once the process has exited). */
    String err() throws Exception {
      if (!process.isAlive()) {
        return stderr.get(10, TimeUnit.SECONDS);
      }
      return stderr.getNow("(still running)");
    }

    /** Ctrl-C: the CLI tears its sandbox down. */
    void interrupt() throws IOException, InterruptedException {
      if (process.isAlive()) {
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor(10,
            TimeUnit.SECONDS);
      }
    }

    private static CompletableFuture<String> read(InputStream in) {
      return CompletableFuture.supplyAsync(() -> {
        try {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
          return "(unreadable: " + e + ")";
        }
      }, OWN_THREAD);
    }
  }
}
