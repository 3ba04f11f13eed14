package io.goldilocks.it.shim;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldilocks.it.containerd.BusyboxImage;
import io.goldilocks.it.containerd.CommandResult;
import io.goldilocks.it.containerd.PrivateContainerd;
import io.goldilocks.shim.sandbox.GoldilocksConfig;
import io.goldilocks.testing.HostRequirements;
import io.goldilocks.testing.PodNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Networking through the real containerd path: {@code ctr run --with-ns network:<pod netns>} puts the namespace into
 * the container's spec, the shim's plugin host asks network-tcfilter for a tap there, QEMU runs in that namespace and
 * the agent configures the guest NIC; HTTP from the node side of the bridge to the pod IP reaches busybox httpd in the
 * container.
 */
@Timeout(600)
class CtrRunNetworkTest {
  private static final Duration SLOW = Duration.ofMinutes(4);
  private static PrivateContainerd containerd;
  private static Path bundles;

  @BeforeAll
  static void up() {
    Path guest = ShimHost.requireVmHost();
    HostRequirements.requireExecutable("curl");
    HostRequirements.requireExecutable("tc");
    // the dev tree's shim takes its plugins from GOLDILOCKS_BUNDLES_DIR (PluginHostSetup): the built shipped bundles
    containerd = PrivateContainerd.builder()
        .environment("PATH", ShimLauncher.pathWithLauncher())
        .environment("GOLDILOCKS_GUEST_DIR", guest.toString())
        .environment("GOLDILOCKS_BUNDLES_DIR", (bundles = builtBundles()).toString())
        .start();
    BusyboxImage.importInto(containerd);
  }

  /** The shipped bundles' jars from the dev tree ({@code bundles/<name>/target}), copied into a temp directory. */
  private static Path builtBundles() {
    try {
      Path dir = Files.createTempDirectory("gl-it-bundles");
      Path repo = ShimLauncher.binDir().getParent().getParent();
      for (String name : List.of("storage-virtiofs", "network-tcfilter", "gpu", "example-hello")) {
        Path target = repo.resolve("bundles").resolve(name).resolve("target");
        Path jar = target.resolve("goldilocks-" + name + "-0.1.0-SNAPSHOT.jar");
        HostRequirements.require(Files.isRegularFile(jar), "bundle not built: " + jar);
        Files.copy(jar, dir.resolve("goldilocks-" + name + ".jar"));
      }
      return dir;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterAll
  static void down() {
    if (containerd != null) {
      containerd.close();
    }
    if (bundles != null) {
      try (java.util.stream.Stream<Path> jars = Files.list(bundles)) {
        for (Path jar : jars.toList()) {
          Files.deleteIfExists(jar);
        }
        Files.deleteIfExists(bundles);
      } catch (java.io.IOException e) {
        System.err.println("cannot remove " + bundles + ": " + e);
      }
    }
  }

  @Test
  void httpToThePodIpReachesTheContainerInTheVm() throws Exception {
    String id = "web1";
    try (PodNetwork pod = PodNetwork.create()) {
      containerd.ctr(SLOW, "run", "-d", "--runtime", ShimLauncher.RUNTIME, "--with-ns",
          "network:" + pod.podNetns(), BusyboxImage.REFERENCE, id, "sh", "-c",
          "mkdir -p /www && uname -r > /www/index.html && exec httpd -f -p 8080 -h /www").requireSuccess();
      try {
        String answer = awaitHttp(pod);
        String hostKernel = new String(new ProcessBuilder("uname", "-r").start().getInputStream().readAllBytes())
            .trim();
        assertThat(answer.strip()).isNotEmpty().isNotEqualTo(hostKernel);
        assertThat(pod.podLinks()).contains("tap0_gl");
        assertThat(Files.readString(bundlesJson(id))).contains("io.goldilocks.bundles.network.tcfilter")
            .contains("ACTIVE");
      } finally {
        containerd.ctr("task", "kill", "-s", "SIGKILL", id);
        ShimHost.awaitStopped(containerd, id);
        containerd.ctr("task", "delete", id);
        containerd.ctr("containers", "rm", id);
      }
      ShimHost.assertNothingLeft(containerd, id);
      assertThat(pod.podLinks()).as(containerd.logTail(150)).doesNotContain("tap0_gl");
      assertThat(pod.podIngressFilters()).doesNotContain("mirred");
    }
  }

  /**
   * Devices through the shim: a CDI annotation reaches the device plugin that supports it (example-hello's
   * environment variable appears in the container); a GPU request on this host fails with the gpu plugin's reason.
   */
  @Test
  void cdiAnnotationsAreServedByTheDevicePlugins() throws Exception {
    CommandResult hello = containerd.ctr(SLOW, "run", "--rm", "--runtime", ShimLauncher.RUNTIME, "--annotation",
        "cdi.k8s.io/hello=example.com/hello=world", BusyboxImage.REFERENCE, "hello1", "sh", "-c",
        "echo \"$HELLO_GREETING\"");
    assertThat(hello.stdout()).as(hello.describe()).isEqualTo("hello, world (example-hello 1)\n");
    ShimHost.assertNothingLeft(containerd, "hello1");

    CommandResult gpu = containerd.ctr(SLOW, "run", "--rm", "--runtime", ShimLauncher.RUNTIME, "--annotation",
        "cdi.k8s.io/gpu=nvidia.com/gpu=0", BusyboxImage.REFERENCE, "gpu1", "true");
    assertThat(gpu.exitCode()).isNotZero();
    assertThat(gpu.stdout() + gpu.stderr()).contains("device plugin gpu")
        .contains("GPU passthrough is not available on this host");
    containerd.ctr("containers", "rm", "gpu1");
    ShimHost.assertNothingLeft(containerd, "gpu1");
  }

  private static Path bundlesJson(String id) throws Exception {
    String sandboxId = ShimHost.group(containerd, id).sandboxId();
    return GoldilocksConfig.load(Map.of(), Path.of("/")).sandbox(sandboxId).build().sandboxDir()
        .resolve("bundles.json");
  }

  private static String awaitHttp(PodNetwork pod) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    PodNetwork.Result last = null;
    while (System.nanoTime() < deadline) {
      last = pod.httpGetPod(8080);
      if (last.exit() == 0) {
        return last.out();
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no HTTP answer from the pod IP; last curl: " + last + "\n" + containerd.logTail(60));
  }


}
