package io.goldilocks.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The configuration phase: validation on build, and a sealed builder afterwards. */
class VmConfigTest {
  @TempDir static Path dir;
  private static Path kernel;

  @BeforeEach
  void kernelFile() throws Exception {
    kernel = dir.resolve("vmlinuz");
    if (!Files.exists(kernel)) {
      Files.createFile(kernel);
    }
  }

  @Test
  void buildsAnImmutableConfigWithTheRunDirectoryUnderTheRunRoot() throws Exception {
    VmConfig config = VmConfig.builder("sb-1").kernel(kernel).vcpus(2).memoryMib(300).runRoot(dir)
        .serialPort("agent.0").kernelArgs("quiet").build();
    assertThat(config.runDirectory()).isEqualTo(dir.resolve("sb-1"));
    assertThat(config.serialPorts()).containsExactly(new SerialPortSpec("agent.0"));
    assertThatThrownBy(() -> config.kernelArgs().add("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(VmConfig.builder("x").kernel(kernel).build().runDirectory())
        .isEqualTo(Path.of("/run/goldilocks/vm/x"));
  }

  static Stream<Arguments> setters() {
    List<Consumer<VmConfig.Builder>> all = List.of(
        b -> b.vcpus(2), b -> b.memoryMib(512), b -> b.kernel(kernel), b -> b.initrd(kernel),
        b -> b.kernelArgs("quiet"), b -> b.pvmGuestKernel(true), b -> b.runRoot(dir), b -> b.serialPort("p"),
        b -> b.share("t", dir), b -> b.readOnlyDisk("d", kernel),
        b -> b.tap(new TapInterface("n", "tap0", "02:00:00:00:00:01")), b -> {
          try {
            b.build();
          } catch (InvalidVmConfigException e) {
            throw new AssertionError(e);
          }
        });
    return all.stream().map(Arguments::of);
  }

  @ParameterizedTest
  @MethodSource("setters")
  void everyBuilderMethodFailsOnceBuilt(Consumer<VmConfig.Builder> action) throws Exception {
    VmConfig.Builder builder = VmConfig.builder("vm").kernel(kernel);
    builder.build();
    assertThatThrownBy(() -> action.accept(builder)).isInstanceOf(VmConfigSealedException.class);
  }

  @Test
  void invalidValuesAreRejectedOnBuild() {
    assertInvalid(VmConfig.builder("../etc").kernel(kernel), "VM id");
    assertInvalid(VmConfig.builder("vm"), "no kernel");
    assertInvalid(VmConfig.builder("vm").kernel(dir.resolve("absent")), "kernel not found");
    assertInvalid(VmConfig.builder("vm").kernel(kernel).vcpus(0), "vCPUs");
    assertInvalid(VmConfig.builder("vm").kernel(kernel).memoryMib(8), "memory");
    assertInvalid(VmConfig.builder("vm").kernel(kernel).kernelArgs("a b"), "kernel argument");
    assertInvalid(VmConfig.builder("vm").kernel(kernel).serialPort("p").serialPort("p"), "duplicate serial port");
    assertInvalid(VmConfig.builder("vm").kernel(kernel).share("t", dir.resolve("absent")), "share directory");
    Path comma = dir.resolve("a,b");
    comma.toFile().mkdirs();
    assertInvalid(VmConfig.builder("vm").kernel(kernel).share("t", comma), "must not contain ','");
  }

  @Test
  void malformedDeviceNamesAreRejectedAtOnce() {
    assertThatThrownBy(() -> new SerialPortSpec("a,b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SharedDirectory("", dir)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TapInterface("n", "tap0", "02:00:00:00:00")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TapInterface("n", "a-very-long-tap-name", "02:00:00:00:00:01"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertInvalid(VmConfig.Builder builder, String message) {
    assertThatThrownBy(builder::build).isInstanceOf(InvalidVmConfigException.class).hasMessageContaining(message);
  }
}
