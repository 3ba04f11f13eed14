package io.goldilocks.it.containerd;

import io.goldilocks.testing.HostRequirements;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A one-layer OCI image of Debian's busybox-static, built locally with umoci (no registry) and imported into a private
 * containerd as {@value #REFERENCE}. The recipe is containerd-on-this-machine.md §2.
 *
 * <p>The image tarball is cached as {@code <cache>/it/busybox-oci-<sha of the busybox binary>.tar}
 * ({@code <cache>} = {@code $GOLDILOCKS_CACHE} or {@code ~/.cache/goldilocks}); it is built in a temp directory and
 * moved into place atomically, so concurrent builds cannot leave a half-written tarball. Thread-safe (stateless).
 */
public final class BusyboxImage {
  public static final String REFERENCE = "localhost/busybox:latest";
  private static final Path BUSYBOX = Path.of("/bin/busybox");
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(120);

  private BusyboxImage() {}

  /** Skips the test on a developer machine without busybox-static or umoci (fails under CI). */
  public static void requireHost() {
    HostRequirements.requireExecutable("umoci");
    HostRequirements.requireFile(BUSYBOX, "busybox-static");
  }

  /** Imports the image into {@code containerd}'s default namespace (building the tarball first if not cached). */
  public static void importInto(PrivateContainerd containerd) {
    importInto(containerd, containerd.namespace());
  }

  public static void importInto(PrivateContainerd containerd, String namespace) {
    Path tarball = tarball();
    containerd.ctr(STEP_TIMEOUT, "--namespace", namespace, "images", "import", "--base-name", "localhost/busybox",
        tarball.toString()).requireSuccess();
  }

  /** The cached OCI-layout tarball, built now if missing. */
  public static Path tarball() {
    Path cached = cacheDir().resolve("busybox-oci-" + busyboxDigest().substring(0, 16) + ".tar");
    if (Files.isRegularFile(cached)) {
      return cached;
    }
    Path work = null;
    try {
      Files.createDirectories(cached.getParent());
      work = Files.createTempDirectory(cached.getParent(), "build-");
      Path built = build(work);
      Files.move(built, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return cached;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the busybox image in " + work, e);
    } finally {
      if (work != null) {
        try {
          HostLeftovers.deleteTree(work);
        } catch (IOException ignored) {
          // a stale build directory in the cache is harmless and reclaimed by hand
        }
      }
    }
  }

  static Path cacheDir() {
    String env = System.getenv("GOLDILOCKS_CACHE");
    Path base = env != null && !env.isBlank() ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".cache", "goldilocks");
    return base.resolve("it");
  }

  private static Path build(Path work) throws IOException {
    Path layout = work.resolve("oci");
    String image = layout + ":busybox"; // umoci --image is <layout dir>:<tag>
    umoci("init", "--layout", layout.toString());
    umoci("new", "--image", image);
    Path bundle = work.resolve("bundle");
    umoci("unpack", "--image", image, bundle.toString());
    populateRootfs(bundle.resolve("rootfs"));
    umoci("repack", "--image", image, bundle.toString());
    umoci("config", "--image", image, "--config.cmd", "/bin/sh", "--config.env", "PATH=/bin:/sbin:/usr/bin:/usr/sbin",
        "--config.workingdir", "/", "--architecture", "amd64", "--os", "linux");
    // ctr import names the image <base-name>:<ref.name>, so the layout's only tag must be the plain "latest"
    umoci("tag", "--image", image, "latest");
    umoci("rm", "--image", image);
    Path tar = work.resolve("busybox-oci.tar");
    Commands.run(List.of("tar", "-C", layout.toString(), "-cf", tar.toString(), "."), STEP_TIMEOUT).requireSuccess();
    return tar;
  }

  private static void populateRootfs(Path rootfs) throws IOException {
    for (String d : List.of("bin", "sbin", "usr/bin", "usr/sbin", "etc", "tmp", "proc", "sys", "dev", "root")) {
      Files.createDirectories(rootfs.resolve(d));
    }
    // java.nio cannot set the sticky bit
    Commands.run(List.of("chmod", "1777", rootfs.resolve("tmp").toString()), STEP_TIMEOUT).requireSuccess();
    Path busybox = rootfs.resolve("bin/busybox");
    Files.copy(BUSYBOX, busybox, StandardCopyOption.REPLACE_EXISTING);
    Files.setPosixFilePermissions(busybox, PosixFilePermissions.fromString("rwxr-xr-x"));
    for (String applet : applets()) {
      Path link = rootfs.resolve("bin").resolve(applet);
      if (!applet.equals("busybox") && !applet.contains("/") && !Files.exists(link)) {
        Files.createSymbolicLink(link, Path.of("busybox"));
      }
    }
    Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
    Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\n");
  }

  private static List<String> applets() {
    CommandResult list = Commands.run(List.of(BUSYBOX.toString(), "--list"), STEP_TIMEOUT).requireSuccess();
    return list.stdout().lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static void umoci(String... args) {
    List<String> command = new ArrayList<>(List.of("umoci"));
    command.addAll(List.of(args));
    Commands.run(command, STEP_TIMEOUT).requireSuccess();
  }

  private static String busyboxDigest() {
    try (InputStream in = new DigestInputStream(Files.newInputStream(BUSYBOX), MessageDigest.getInstance("SHA-256"))) {
      MessageDigest digest = ((DigestInputStream) in).getMessageDigest();
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + BUSYBOX, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always present", e);
    }
  }
}
