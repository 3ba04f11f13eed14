package io.goldilocks.shim.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldilocks.spi.Mount;
import io.goldilocks.spi.storage.StoragePlan;
import io.goldilocks.testing.HostRequirements;
import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxLeftoversTest {
  @TempDir Path tmp;

  @Test
  void unmountsAndRemovesWhatACrashedSandboxLeftButKeepsTheRootfs() throws Exception {
    HostRequirements.requireRoot();
    Path runtime = tmp.resolve("run");
    Path rootfs = Files.createDirectories(tmp.resolve("rootfs/empty-dir"));
    Files.writeString(tmp.resolve("rootfs/file"), "kept");
    RootfsShare share = RootfsShare.create(runtime.resolve("sandbox/s1/shared"));
    bindRootfs(share, "c1", tmp.resolve("rootfs")); // and then the process "crashes": nothing is closed

    assertThat(SandboxLeftovers.cleanUp(runtime, "s1")).isNotEmpty();

    assertThat(runtime.resolve("sandbox/s1")).doesNotExist();
    assertThat(Files.readString(Path.of("/proc/mounts"))).doesNotContain(runtime.toString());
    assertThat(tmp.resolve("rootfs/file")).hasContent("kept");
    assertThat(rootfs).isDirectory();
    assertThat(SandboxLeftovers.cleanUp(runtime, "s1")).isEmpty(); // idempotent
  }

  @Test
  void removesTheFilesAKilledShimServerKeptInTheSandboxDirectory() throws Exception {
    HostRequirements.requireRoot();
    Path runtime = tmp.resolve("run");
    Files.createDirectories(tmp.resolve("rootfs"));
    RootfsShare share = RootfsShare.create(runtime.resolve("sandbox/s1/shared"));
    bindRootfs(share, "c1", tmp.resolve("rootfs"));
    Files.writeString(runtime.resolve("sandbox/s1/bundles.json"), "[]");
    Files.createDirectories(runtime.resolve("sandbox/s1/felix-cache/bundle1/version0.0"));
    Files.writeString(runtime.resolve("sandbox/s1/felix-cache/bundle1/version0.0/bundle.jar"), "jar");

    SandboxLeftovers.cleanUp(runtime, "s1");

    assertThat(runtime.resolve("sandbox/s1")).doesNotExist();
    assertThat(Files.readString(Path.of("/proc/mounts"))).doesNotContain(runtime.toString());
  }

  @Test
  void leavesAShareThatStillHoldsFilesInPlaceAndSaysSo() throws Exception {
    Path runtime = tmp.resolve("run");
    Path stray = runtime.resolve("sandbox/s1/shared/c1/rootfs/etc/hostname");
    Files.createDirectories(stray.getParent());
    Files.writeString(stray, "not ours to delete");

    assertThatThrownBy(() -> SandboxLeftovers.cleanUp(runtime, "s1"))
        .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.INTERNAL));

    assertThat(stray).hasContent("not ours to delete");
  }

  @Test
  void refusesAnIdThatCouldLeaveTheRuntimeRoot() {
    assertThatThrownBy(() -> SandboxLeftovers.cleanUp(tmp, "../etc"))
        .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT));
  }

  /** A plan as the storage plugin makes one: the container's rootfs bound under the share. */
  private static void bindRootfs(RootfsShare share, String id, Path rootfs) throws Exception {
    share.execute(id, new StoragePlan(List.of(), List.of(Mount.bind(rootfs.toString(),
        share.hostDir().resolve(id + "/rootfs").toString(), false)), List.of(), RootfsShare.GUEST_MOUNT + "/" + id
        + "/rootfs", List.of()));
  }
}
