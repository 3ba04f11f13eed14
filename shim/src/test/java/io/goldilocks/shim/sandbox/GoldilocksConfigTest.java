package io.goldilocks.shim.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoldilocksConfigTest {
  @TempDir Path tmp;

  @Test
  void environmentOverridesTheFileWhichOverridesDefaults() throws Exception {
    Path file = tmp.resolve("goldilocks.toml");
    Files.writeString(file, """
        [guest]
        dir = "/from/file"
        [sandbox]
        vcpus = 2
        memory_mib = 768
        boot_timeout_seconds = 90
        [runtime]
        dir = "/run/from-file"
        """);
    GoldilocksConfig config = GoldilocksConfig.load(
        Map.of("GOLDILOCKS_CONFIG", file.toString(), "GOLDILOCKS_MEMORY_MIB", "1024",
            "GOLDILOCKS_PREFIX", tmp.resolve("prefix").toString()), tmp);
    SandboxConfig sandbox = config.sandbox("s1").build();
    assertThat(sandbox.vcpus()).isEqualTo(2);
    assertThat(sandbox.memoryMib()).isEqualTo(1024);
    assertThat(sandbox.bootDeadline()).isEqualTo(Duration.ofSeconds(90));
    assertThat(sandbox.guestImage().kernel()).isEqualTo(Path.of("/from/file/vmlinuz"));
    assertThat(sandbox.sandboxDir()).isEqualTo(Path.of("/run/from-file/sandbox/s1"));
    assertThat(sandbox.vmRunRoot()).isEqualTo(Path.of("/run/from-file/vm"));
  }

  @Test
  void guestDirEnvironmentVariableWins() throws Exception {
    Path guest = guestDir(tmp.resolve("g"));
    GoldilocksConfig config = GoldilocksConfig.load(Map.of("GOLDILOCKS_GUEST_DIR", guest.toString(),
        "GOLDILOCKS_PREFIX", tmp.resolve("prefix").toString()), tmp);
    assertThat(config.requireGuestImage().initrd()).isEqualTo(guest.resolve("initrd.img"));
  }

  @Test
  void findsTheDevTreeImageAboveTheWorkingDirectory() throws Exception {
    Path repo = tmp.resolve("repo");
    Path guest = guestDir(repo.resolve("packaging/target/guest"));
    Path work = Files.createDirectories(repo.resolve("shim/target"));
    GoldilocksConfig config = GoldilocksConfig.load(Map.of("GOLDILOCKS_PREFIX", tmp.resolve("none").toString()), work);
    assertThat(config.requireGuestImage().kernel()).isEqualTo(guest.resolve("vmlinuz"));
  }

  @Test
  void installPrefixComesBeforeTheDevTree() throws Exception {
    Path prefix = tmp.resolve("prefix");
    Path installed = guestDir(prefix.resolve("share/guest"));
    guestDir(tmp.resolve("repo/packaging/target/guest"));
    GoldilocksConfig config = GoldilocksConfig.load(Map.of("GOLDILOCKS_PREFIX", prefix.toString()),
        tmp.resolve("repo"));
    assertThat(config.requireGuestImage().kernel()).isEqualTo(installed.resolve("vmlinuz"));
  }

  @Test
  void missingInitrdIsNamedInTheError() throws Exception {
    Path guest = Files.createDirectories(tmp.resolve("g"));
    Files.writeString(guest.resolve("vmlinuz"), "k");
    GoldilocksConfig config = GoldilocksConfig.load(Map.of("GOLDILOCKS_GUEST_DIR", guest.toString()), tmp);
    assertThatThrownBy(config::requireGuestImage)
        .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION))
        .hasMessageContaining(guest.resolve("initrd.img").toString());
  }

  @Test
  void badNumbersAndBadFilesAreInvalidArguments() {
    assertThatThrownBy(() -> GoldilocksConfig.load(Map.of("GOLDILOCKS_VCPUS", "many"), tmp))
        .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT))
        .hasMessageContaining("GOLDILOCKS_VCPUS");
    assertThatThrownBy(() -> GoldilocksConfig.load(Map.of("GOLDILOCKS_CONFIG", tmp.resolve("nope.toml").toString()),
        tmp)).isInstanceOfSatisfying(TtrpcException.class,
            e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT));
  }

  @Test
  void sandboxConfigRejectsBadIdsAndSizes() throws Exception {
    GoldilocksConfig config = GoldilocksConfig.load(Map.of(), tmp);
    for (String bad : new String[] {"", "-x", "a/b", "a..b", "x".repeat(65)}) {
      assertThatThrownBy(() -> config.sandbox(bad).build())
          .isInstanceOfSatisfying(TtrpcException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT));
    }
    assertThatThrownBy(() -> config.sandbox("ok").memoryMib(8).build()).hasMessageContaining("memory");
    assertThatThrownBy(() -> config.sandbox("ok").vcpus(0).build()).hasMessageContaining("vcpus");
    assertThat(config.sandbox("a1.b_c-d").build().id()).isEqualTo("a1.b_c-d");
  }

  @Test
  void kernelArgumentsComeFromGuestPropertiesWithoutTheHypervisorsOwn() throws Exception {
    Path guest = guestDir(tmp.resolve("g"));
    Files.writeString(guest.resolve("guest.properties"),
        "kernel.cmdline=console=ttyS0 quiet rdinit=/init reboot=t panic=-1 tsc=reliable\n");
    assertThat(GuestImage.in(guest).kernelArgs()).containsExactly("quiet", "rdinit=/init");
  }

  @Test
  void theRootImageLayoutBringsItsDiskAndNeedsIt() throws Exception {
    Path guest = guestDir(tmp.resolve("g"));
    Files.writeString(guest.resolve("guest.properties"), "layout=erofs\nrootfs.file=rootfs.img\n");
    GuestImage image = GuestImage.in(guest);
    assertThat(image.rootDisk()).contains(guest.resolve("rootfs.img"));
    assertThat(image.isComplete()).isFalse();
    assertThatThrownBy(() -> GoldilocksConfig.requireComplete(image, java.util.List.of()))
        .hasMessageContaining(guest.resolve("rootfs.img").toString());
    Files.writeString(guest.resolve("guest.properties"), "layout=initramfs\n");
    assertThat(GuestImage.in(guest).rootDisk()).isEmpty();
  }

  private static Path guestDir(Path dir) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("vmlinuz"), "kernel");
    Files.writeString(dir.resolve("initrd.img"), "initrd");
    return dir;
  }
}
