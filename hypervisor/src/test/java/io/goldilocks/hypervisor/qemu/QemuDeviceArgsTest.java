package io.goldilocks.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldilocks.hypervisor.Accelerator;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Golden outputs: each device value object renders exactly these QEMU arguments. */
class QemuDeviceArgsTest {
  @Test
  void machineUnderTcgWithoutShares() {
    assertThat(new Machine(Accelerator.Kind.TCG, 2, 512, false).args()).containsExactly(
        "-M", "microvm,accel=tcg", "-cpu", "qemu64", "-smp", "2", "-m", "512M");
  }

  @Test
  void machineWithSharedMemoryForVhostUser() {
    assertThat(new Machine(Accelerator.Kind.TCG, 1, 256, true).args()).containsExactly(
        "-M", "microvm,accel=tcg,memory-backend=mem", "-cpu", "qemu64", "-smp", "1", "-m", "256M",
        "-object", "memory-backend-memfd,id=mem,size=256M,share=on",
        "-global", "virtio-mmio.force-legacy=false");
  }

  @Test
  void machineUnderKvmUsesTheHostCpu() {
    assertThat(new Machine(Accelerator.Kind.KVM, 4, 1024, false).args()).containsExactly(
        "-M", "microvm,accel=kvm", "-cpu", "host", "-smp", "4", "-m", "1024M");
  }

  @Test
  void kernelBootWithAndWithoutInitrd() {
    assertThat(new KernelBoot(Path.of("/k/vmlinuz"), Optional.of(Path.of("/k/initrd.img")),
        List.of("console=ttyS0", "quiet")).args()).containsExactly(
        "-kernel", "/k/vmlinuz", "-initrd", "/k/initrd.img", "-append", "console=ttyS0 quiet");
    assertThat(new KernelBoot(Path.of("/k/vmlinuz"), Optional.empty(), List.of("ro")).args()).containsExactly(
        "-kernel", "/k/vmlinuz", "-append", "ro");
  }

  @Test
  void serialConsoleToAFileWithCommasEscaped() {
    assertThat(new SerialConsole(Path.of("/run/vm/a,b/console.log")).args()).containsExactly(
        "-chardev", "file,id=console,path=/run/vm/a,,b/console.log,append=on", "-serial", "chardev:console");
  }

  @Test
  void virtioSerialControllerAndPort() {
    assertThat(new VirtioSerialController().args()).containsExactly("-device", "virtio-serial-device,id=vserial0");
    assertThat(new VirtioSerialPort(1, "goldilocks.agent.0", Path.of("/run/vm/x/port1.sock"))
        .args()).containsExactly(
        "-chardev", "socket,id=vport1,path=/run/vm/x/port1.sock,server=on,wait=off",
        "-device", "virtserialport,bus=vserial0.0,chardev=vport1,name=goldilocks.agent.0");
  }

  @Test
  void vhostUserFs() {
    assertThat(new VhostUserFs(0, "goldilocks", Path.of("/run/vm/x/fs0.sock")).args()).containsExactly(
        "-chardev", "socket,id=vfs0,path=/run/vm/x/fs0.sock",
        "-device", "vhost-user-fs-device,chardev=vfs0,tag=goldilocks");
  }

  @Test
  void readOnlyVirtioBlkDisk() {
    assertThat(new VirtioBlkDisk("rootfs", Path.of("/images/root.img")).args()).containsExactly(
        "-drive", "id=rootfs,file=/images/root.img,if=none,format=raw,readonly=on,cache=none,aio=threads",
        "-device", "virtio-blk-device,drive=rootfs");
  }

  @Test
  void virtioNetOnATap() {
    assertThat(new VirtioNetTap("net0", "tap-gl0", "02:00:00:00:00:01").args()).containsExactly(
        "-netdev", "tap,id=net0,ifname=tap-gl0,script=no,downscript=no",
        "-device", "virtio-net-device,netdev=net0,mac=02:00:00:00:00:01");
  }

  @Test
  void qmpMonitor() {
    assertThat(new QmpMonitor(Path.of("/run/vm/x/qmp.sock")).args()).containsExactly(
        "-chardev", "socket,id=qmp,path=/run/vm/x/qmp.sock,server=on,wait=off", "-mon", "chardev=qmp,mode=control");
  }

  @Test
  void virtiofsdCommand() {
    assertThat(new VirtiofsdCommand(Path.of("/usr/lib/qemu/virtiofsd"), Path.of("/run/vm/x/fs-t.sock"),
        Path.of("/srv/share")).args()).containsExactly(
        "/usr/lib/qemu/virtiofsd", "--socket-path=/run/vm/x/fs-t.sock", "-o", "source=/srv/share",
        "-o", "cache=auto", "-o", "log_level=warn");
  }
}
