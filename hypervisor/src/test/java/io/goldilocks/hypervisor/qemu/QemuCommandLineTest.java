package io.goldilocks.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldilocks.hypervisor.Accelerator;
import io.goldilocks.hypervisor.TapInterface;
import io.goldilocks.hypervisor.VmConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Golden output of a whole command line assembled from a {@link VmConfig}. */
class QemuCommandLineTest {
  @TempDir Path dir;

  @Test
  void fullCommandLine() throws Exception {
    Path kernel = Files.createFile(dir.resolve("vmlinuz"));
    Path initrd = Files.createFile(dir.resolve("initrd"));
    Path share = Files.createDirectory(dir.resolve("share"));
    Path disk = Files.createFile(dir.resolve("disk.img"));
    VmConfig config = VmConfig.builder("sb1").vcpus(2).memoryMib(512).kernel(kernel).initrd(initrd)
        .kernelArgs("quiet").runRoot(dir.resolve("run")).serialPort("goldilocks.agent.0").share("goldilocks", share)
        .readOnlyDisk("root", disk).tap(new TapInterface("net0", "tap0", "02:00:00:00:00:01")).build();
    RunLayout layout = new RunLayout(config.runDirectory());
    String run = config.runDirectory().toString();

    List<String> argv = QemuCommandLine.argv(Path.of("/usr/bin/qemu-system-x86_64"),
        QemuCommandLine.devices(config, Accelerator.Kind.TCG, layout, OptionalLong.of(2596136)));

    assertThat(argv).containsExactly(
        "/usr/bin/qemu-system-x86_64", "-nodefaults", "-no-user-config", "-nographic", "-no-reboot",
        "-M", "microvm,accel=tcg,memory-backend=mem", "-cpu", "qemu64", "-smp", "2", "-m", "512M",
        "-object", "memory-backend-memfd,id=mem,size=512M,share=on", "-global", "virtio-mmio.force-legacy=false",
        "-kernel", kernel.toString(), "-initrd", initrd.toString(),
        "-append", "console=ttyS0 reboot=t panic=-1 tsc=reliable tsc_early_khz=2596136 quiet",
        "-chardev", "file,id=console,path=" + run + "/console.log,append=on", "-serial", "chardev:console",
        "-chardev", "socket,id=qmp,path=" + run + "/qmp.sock,server=on,wait=off", "-mon", "chardev=qmp,mode=control",
        "-device", "virtio-serial-device,id=vserial0",
        "-chardev", "socket,id=vport0,path=" + run + "/port0.sock,server=on,wait=off",
        "-device", "virtserialport,bus=vserial0.0,chardev=vport0,name=goldilocks.agent.0",
        "-chardev", "socket,id=vfs0,path=" + run + "/fs0.sock",
        "-device", "vhost-user-fs-device,chardev=vfs0,tag=goldilocks",
        "-drive", "id=root,file=" + disk + ",if=none,format=raw,readonly=on,cache=none,aio=threads",
        "-device", "virtio-blk-device,drive=root",
        "-netdev", "tap,id=net0,ifname=tap0,script=no,downscript=no",
        "-device", "virtio-net-device,netdev=net0,mac=02:00:00:00:00:01");
  }

  @Test
  void aContainerdSizedIdStillFitsUnixSocketPaths() throws Exception {
    Path kernel = Files.createFile(dir.resolve("vmlinuz"));
    String sandboxId = "f".repeat(64);
    VmConfig config = VmConfig.builder(sandboxId).kernel(kernel).serialPort("goldilocks.agent.0").build();
    RunLayout layout = new RunLayout(config.runDirectory());

    assertThat(layout.serialPortSocket(0)).hasToString("/run/goldilocks/vm/" + sandboxId + "/port0.sock");
    assertThat(List.of(layout.qmpSocket(), layout.serialPortSocket(9), layout.virtiofsdSocket(9)))
        .allMatch(socket -> socket.toString().length() <= RunLayout.MAX_SOCKET_PATH);
  }

  @Test
  void withoutTscRateOrDevicesTheCommandLineIsMinimal() throws Exception {
    Path kernel = Files.createFile(dir.resolve("vmlinuz"));
    VmConfig config = VmConfig.builder("sb2").kernel(kernel).runRoot(dir).build();

    List<String> argv = QemuCommandLine.argv(Path.of("qemu"),
        QemuCommandLine.devices(config, Accelerator.Kind.TCG, new RunLayout(config.runDirectory()),
            OptionalLong.empty()));

    assertThat(argv).doesNotContain("-device").contains("console=ttyS0 reboot=t panic=-1")
        .noneMatch(arg -> arg.contains("memory-backend"));
  }
}
