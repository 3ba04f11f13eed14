package io.goldilocks.it.containerd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Removes what one private containerd 1.6 and its shims leave outside the instance directory, touching only what is
 * provably theirs, because other developers' containerds share these host paths:
 * <ul>
 *   <li>shim processes still running with {@code -address <our socket>} (containerd does not stop shims on exit),
 *       and the containers those shims ran ({@code runc delete --force} on each id in the runc state below);
 *   <li>shim sockets {@code /run/containerd/s/<sha256("<grpc address>/<ns>/<id>")>}, for every bundle our log names;
 *   <li>the runc shim's per-namespace state {@code /run/containerd/runc/<ns>} of our own namespace (always), and of
 *       other namespaces when empty;
 *   <li>the per-namespace parent cgroups {@code /sys/fs/cgroup/<controller>/<ns>} that ctr's default cgroupsPath
 *       {@code /<ns>/<id>} creates and runc leaves behind (rmdir only: a cgroup still in use stays);
 *   <li>mounts under the instance directory (rootfs overlays of a killed shim).
 * </ul>
 * Best effort: every step runs even when an earlier one failed. Not thread-safe (one caller, at stop).
 */
final class HostLeftovers {
  static final Path SHIM_SOCKET_DIR = Path.of("/run/containerd/s");
  static final Path RUNC_STATE_DIR = Path.of("/run/containerd/runc");
  static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
  private static final Pattern BUNDLE = Pattern.compile("io\\.containerd\\.runtime\\.v2\\.task/([A-Za-z0-9._-]+)/([A-Za-z0-9._-]+)");

  /** A task bundle: {@code <state>/io.containerd.runtime.v2.task/<namespace>/<id>}. */
  record Bundle(String namespace, String id) {}

  private final ContainerdConfig config;
  private final String ownNamespace;

  HostLeftovers(ContainerdConfig config, String ownNamespace) {
    this.config = config;
    this.ownNamespace = ownNamespace;
  }

  /** The socket path containerd-shim-runc-v2 (and any shim using containerd's shim library) listens on. */
  static Path shimSocket(Path grpcAddress, String namespace, String id) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((grpcAddress + "/" + namespace + "/" + id).getBytes(StandardCharsets.UTF_8));
      return SHIM_SOCKET_DIR.resolve(HexFormat.of().formatHex(digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always present", e);
    }
  }

  void removeAll(List<Throwable> problems) {
    Set<Bundle> bundles = bundlesNamedInLog();
    attempt(problems, this::killStrayShims);
    attempt(problems, () -> removeShimSockets(bundles));
    attempt(problems, () -> removeRuncState(bundles));
    attempt(problems, () -> removeNamespaceCgroups(bundles));
    attempt(problems, this::unmountUnderDir);
  }

  /** (namespace, id) of every task bundle containerd logged, i.e. every shim it started. */
  Set<Bundle> bundlesNamedInLog() {
    Set<Bundle> bundles = new LinkedHashSet<>();
    if (!Files.isRegularFile(config.log())) {
      return bundles;
    }
    try {
      Matcher m = BUNDLE.matcher(Files.readString(config.log(), StandardCharsets.UTF_8));
      while (m.find()) {
        bundles.add(new Bundle(m.group(1), m.group(2)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bundles;
  }

  private void killStrayShims() throws IOException {
    String address = config.grpcSocket().toString();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        List<String> argv = readArgv(proc);
        int i = argv.indexOf("-address");
        if (i >= 0 && i + 1 < argv.size() && argv.get(i + 1).equals(address)
            && argv.get(0).contains("containerd-shim")) {
          long pid = Long.parseLong(proc.getFileName().toString());
          ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    }
  }

  private static List<String> readArgv(Path proc) {
    try {
      byte[] raw = Files.readAllBytes(proc.resolve("cmdline"));
      List<String> argv = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < raw.length; i++) {
        if (raw[i] == 0) {
          argv.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
          start = i + 1;
        }
      }
      return argv;
    } catch (IOException e) {
      return List.of(); // the process exited meanwhile, or is not ours to read
    }
  }

  private void removeShimSockets(Set<Bundle> bundles) throws IOException {
    for (Bundle b : bundles) {
      Path socket = shimSocket(config.grpcSocket(), b.namespace(), b.id());
      Files.deleteIfExists(socket);
      Files.deleteIfExists(Path.of(socket + ".debug"));
    }
  }

  private void removeRuncState(Set<Bundle> bundles) throws IOException {
    for (Bundle b : bundles) {
      forceDeleteContainer(b);
    }
    deleteTree(RUNC_STATE_DIR.resolve(ownNamespace));
    for (Bundle b : bundles) {
      Path dir = RUNC_STATE_DIR.resolve(b.namespace());
      try (Stream<Path> entries = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
        if (Files.isDirectory(dir) && entries.findAny().isEmpty()) {
          Files.deleteIfExists(dir);
        }
      }
    }
  }

  private void removeNamespaceCgroups(Set<Bundle> bundles) throws IOException {
    Set<String> namespaces = new LinkedHashSet<>();
    namespaces.add(ownNamespace);
    bundles.forEach(b -> namespaces.add(b.namespace()));
    for (Path hierarchy : namespaceCgroupHierarchies()) {
      for (String ns : namespaces) {
        removeEmptyCgroupTree(hierarchy.resolve(ns));
      }
    }
  }

  /** Each v1 controller mount and the unified hierarchy (hybrid mode here) or the v2 root alone. */
  static List<Path> namespaceCgroupHierarchies() throws IOException {
    List<Path> hierarchies = new ArrayList<>();
    if (Files.exists(CGROUP_ROOT.resolve("cgroup.controllers"))) {
      hierarchies.add(CGROUP_ROOT);
      return hierarchies;
    }
    try (Stream<Path> mounts = Files.list(CGROUP_ROOT)) {
      mounts.filter(Files::isDirectory).filter(p -> !Files.isSymbolicLink(p)).forEach(hierarchies::add);
    }
    return hierarchies;
  }

  /** rmdir, deepest first; a cgroup's files are virtual and go with the directory. */
  private static void removeEmptyCgroupTree(Path cgroup) throws IOException {
    if (!Files.isDirectory(cgroup)) {
      return;
    }
    try (Stream<Path> children = Files.list(cgroup)) {
      for (Path child : children.filter(Files::isDirectory).toList()) {
        removeEmptyCgroupTree(child);
      }
    }
    try {
      Files.delete(cgroup);
    } catch (IOException inUse) {
      // still has processes (someone else's container): not ours to remove
    }
  }

  /** A container whose shim was killed keeps running; runc kills it and removes its cgroup and state. */
  private static void forceDeleteContainer(Bundle b) {
    Path root = RUNC_STATE_DIR.resolve(b.namespace());
    if (Files.isDirectory(root.resolve(b.id()))) {
      Commands.run(List.of("runc", "--root", root.toString(), "delete", "--force", b.id()), Duration.ofSeconds(20));
    }
  }

  private void unmountUnderDir() throws IOException {
    String prefix = config.dir().toString() + "/";
    List<String> mountPoints = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .map(line -> line.split(" ")[4].replace("\\040", " "))
        .filter(point -> point.startsWith(prefix))
        .sorted(Comparator.comparingInt(String::length).reversed())
        .toList();
    for (String point : mountPoints) {
      Commands.run(List.of("umount", "-l", point), Duration.ofSeconds(10));
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** One cleanup step that may fail. */
  interface Step {
    void run() throws Exception;
  }

  /** Runs {@code step}, collecting its failure so the next steps still run. */
  static void attempt(List<Throwable> problems, Step step) {
    try {
      step.run();
    } catch (Exception e) {
      problems.add(e);
    }
  }
}
