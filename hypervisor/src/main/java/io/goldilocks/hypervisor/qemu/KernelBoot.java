package io.goldilocks.hypervisor.qemu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Direct kernel boot: kernel, optional initrd, command line. */
public record KernelBoot(Path kernel, Optional<Path> initrd, List<String> cmdline) implements QemuDevice {
  public KernelBoot {
    cmdline = List.copyOf(cmdline);
  }

  @Override
  public List<String> args() {
    List<String> args = new ArrayList<>(List.of("-kernel", kernel.toString()));
    initrd.ifPresent(image -> args.addAll(List.of("-initrd", image.toString())));
    args.addAll(List.of("-append", String.join(" ", cmdline)));
    return args;
  }
}
