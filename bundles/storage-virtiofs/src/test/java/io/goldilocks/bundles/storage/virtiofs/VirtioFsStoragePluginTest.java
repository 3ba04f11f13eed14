package io.goldilocks.bundles.storage.virtiofs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldilocks.spi.Mount;
import io.goldilocks.spi.PluginException;
import io.goldilocks.spi.SandboxContext;
import io.goldilocks.spi.storage.StoragePlan;
import io.goldilocks.spi.storage.StorageRequest;
import io.goldilocks.spi.storage.VmStorage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VirtioFsStoragePluginTest {
  private static final Path RUN = Path.of("/run/goldilocks/sandbox/sb1");
  private static final Path BUNDLE = Path.of("/run/containerd/io.containerd.runtime.v2.task/k8s.io/c1");
  private static final Mount OVERLAY = new Mount("overlay", "overlay", "",
      List.of("lowerdir=/snap/1/fs", "upperdir=/snap/2/fs", "workdir=/snap/2/work"));

  private final VirtioFsStoragePlugin plugin = new VirtioFsStoragePlugin();

  @Test
  void rootfsGoesOnTheBundleThenIntoTheSandboxShare() throws Exception {
    StoragePlan plan = plugin.plan(request("c1", Map.of(), List.of(OVERLAY), List.of()));

    assertThat(plan.vmStorage()).containsExactly(new VmStorage.VirtioFsShare("goldilocks", RUN.resolve("shared")));
    assertThat(plan.hostMounts()).containsExactly(
        new Mount("overlay", "overlay", BUNDLE + "/rootfs", OVERLAY.options()),
        Mount.bind(BUNDLE + "/rootfs", RUN + "/shared/c1/rootfs", false));
    assertThat(plan.guestMounts()).containsExactly(
        new Mount("virtiofs", "goldilocks", "/run/goldilocks/shared", List.of()));
    assertThat(plan.guestRootfs()).isEqualTo("/run/goldilocks/shared/c1/rootfs");
  }

  @Test
  void bindMountsAreSharedAndRewrittenOtherMountsPassThrough() throws Exception {
    Mount hosts = new Mount("bind", "/var/lib/kubelet/pods/p/etc-hosts", "/etc/hosts", List.of("rbind", "rw"));
    Mount config = new Mount("bind", "/var/lib/kubelet/pods/p/volumes/cfg", "/etc/cfg", List.of("rbind", "ro"));
    Mount proc = new Mount("proc", "proc", "/proc", List.of("nosuid"));

    StoragePlan plan = plugin.plan(request("c1", Map.of(), List.of(OVERLAY), List.of(hosts, proc, config)));

    assertThat(plan.hostMounts()).endsWith(
        Mount.bind(hosts.source(), RUN + "/shared/c1/mounts/0", false),
        Mount.bind(config.source(), RUN + "/shared/c1/mounts/1", true));
    assertThat(plan.containerMounts()).containsExactly(
        new Mount("bind", "/run/goldilocks/shared/c1/mounts/0", "/etc/hosts", List.of("rbind", "rw")),
        proc,
        new Mount("bind", "/run/goldilocks/shared/c1/mounts/1", "/etc/cfg", List.of("rbind", "ro")));
  }

  @Test
  void containerIdThatEscapesTheShareIsRejected() {
    assertThatThrownBy(() -> plugin.plan(request("../etc", Map.of(), List.of(OVERLAY), List.of())))
        .isInstanceOf(PluginException.class)
        .satisfies(e -> assertThat(((PluginException) e).reason()).isEqualTo(PluginException.Reason.INVALID_ARGUMENT));
  }

  @Test
  void relativeBindSourceIsRejected() {
    Mount relative = new Mount("bind", "data", "/data", List.of("rbind"));
    assertThatThrownBy(() -> plugin.plan(request("c1", Map.of(), List.of(OVERLAY), List.of(relative))))
        .isInstanceOf(PluginException.class).hasMessageContaining("relative source 'data'");
  }

  @Test
  void declinesSandboxesThatSelectAnotherStoragePlugin() {
    StorageRequest other = request("c1", Map.of("io.goldilocks.storage", "blockdev"), List.of(OVERLAY), List.of());
    assertThat(plugin.supports(other)).isFalse();
    assertThat(plugin.supports(request("c1", Map.of(), List.of(OVERLAY), List.of()))).isTrue();
    assertThatThrownBy(() -> plugin.plan(other)).isInstanceOf(PluginException.class)
        .satisfies(e -> assertThat(((PluginException) e).reason()).isEqualTo(PluginException.Reason.UNSUPPORTED));
  }

  private static StorageRequest request(String id, Map<String, String> annotations, List<Mount> rootfs,
      List<Mount> mounts) {
    return new StorageRequest(new SandboxContext("sb1", RUN, annotations), id, BUNDLE, rootfs, mounts);
  }
}
