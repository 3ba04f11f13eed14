package io.goldilocks.hypervisor.qemu;

import io.goldilocks.hypervisor.Accelerator;
import io.goldilocks.hypervisor.DiskImage;
import io.goldilocks.hypervisor.SharedDirectory;
import io.goldilocks.hypervisor.TapInterface;
import io.goldilocks.hypervisor.VmConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** Turns a {@link VmConfig} into QEMU's argv: a list of device value objects, each rendering its own arguments. */
public final class QemuCommandLine {
  public static final Path DEFAULT_QEMU = Path.of("/usr/bin/qemu-system-x86_64");

  /** Flags every VM gets: no default devices or config files, no display, exit (not reboot) on guest reset. */
  static final List<String> BASE_FLAGS = List.of("-nodefaults", "-no-user-config", "-nographic", "-no-reboot");

  private QemuCommandLine() {}

  /** The devices of {@code config}, in command-line order. */
  public static List<QemuDevice> devices(VmConfig config, Accelerator.Kind accel, RunLayout layout,
                                         OptionalLong tscKhz) {
    List<QemuDevice> devices = new ArrayList<>();
    devices.add(new Machine(accel, config.vcpus(), config.memoryMib(), !config.shares().isEmpty()));
    devices.add(new KernelBoot(config.kernel(), config.initrd(), kernelCmdline(config, tscKhz)));
    devices.add(new SerialConsole(layout.consoleLog()));
    devices.add(new QmpMonitor(layout.qmpSocket()));
    if (!config.serialPorts().isEmpty()) {
      devices.add(new VirtioSerialController());
    }
    for (int i = 0; i < config.serialPorts().size(); i++) {
      String name = config.serialPorts().get(i).name();
      devices.add(new VirtioSerialPort(i, name, layout.serialPortSocket(i)));
    }
    for (int i = 0; i < config.shares().size(); i++) {
      SharedDirectory share = config.shares().get(i);
      devices.add(new VhostUserFs(i, share.tag(), layout.virtiofsdSocket(i)));
    }
    for (DiskImage disk : config.disks()) {
      devices.add(new VirtioBlkDisk(disk.id(), disk.image()));
    }
    for (TapInterface tap : config.taps()) {
      devices.add(new VirtioNetTap(tap.id(), tap.tapName(), tap.mac()));
    }
    return devices;
  }

  /** The full argv. */
  public static List<String> argv(Path qemu, List<QemuDevice> devices) {
    List<String> argv = new ArrayList<>(List.of(qemu.toString()));
    argv.addAll(BASE_FLAGS);
    devices.forEach(device -> argv.addAll(device.args()));
    return argv;
  }

  /** The nsenter binary that puts QEMU into the pod's network namespace. */
  static final Path NSENTER = Path.of("/usr/bin/nsenter");

  /**
   * {@code argv} run inside {@code netns} when there is one: the taps the network plugin made live there and QEMU
   * opens them by name. nsenter execs QEMU (no fork for a network namespace), so the pid stays QEMU's.
   */
  public static List<String> inNetns(java.util.Optional<Path> netns, List<String> argv) {
    if (netns.isEmpty()) {
      return argv;
    }
    List<String> wrapped = new ArrayList<>(List.of(NSENTER.toString(), "--net=" + netns.get(), "--"));
    wrapped.addAll(argv);
    return wrapped;
  }

  /**
   * Our arguments first (console on ttyS0; a panic or reboot ends QEMU; the TSC rate, see {@link HostTsc}), then the
   * caller's, so the caller can override ours (the kernel takes the last of a repeated parameter).
   */
  static List<String> kernelCmdline(VmConfig config, OptionalLong tscKhz) {
    List<String> args = new ArrayList<>(List.of("console=ttyS0", "reboot=t", "panic=-1"));
    tscKhz.ifPresent(khz -> args.addAll(List.of("tsc=reliable", "tsc_early_khz=" + khz)));
    args.addAll(config.kernelArgs());
    return args;
  }
}
