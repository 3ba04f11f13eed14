package io.goldilocks.hypervisor.qemu;

import java.nio.file.Path;
import java.util.List;

/**
 * Command line of Debian's C virtiofsd (qemu-system-common 7.2) serving one share. Sandbox: its default
 * (namespace + pivot_root), which needs root as this runtime is. Immutable.
 */
public record VirtiofsdCommand(Path binary, Path socket, Path sourceDir) {
  public static final Path DEFAULT_BINARY = Path.of("/usr/lib/qemu/virtiofsd");

  public List<String> args() {
    return List.of(binary.toString(),
        "--socket-path=" + socket,
        "-o", "source=" + sourceDir,
        "-o", "cache=auto",
        "-o", "log_level=warn");
  }
}
