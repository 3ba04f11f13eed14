package io.goldilocks.spi;

import java.util.List;
import java.util.Objects;

/**
 * A mount as containerd and the OCI runtime spec describe it: {@code type}, {@code source}, {@code target} and
 * {@code options} (e.g. {@code overlay}, {@code overlay}, {@code /rootfs}, {@code [lowerdir=..., upperdir=...]}).
 *
 * <p>The same record describes containerd's rootfs mounts (target empty: "mount at the rootfs"), OCI volume and bind
 * mounts, host-side preparation mounts and guest mounts. Immutable.
 */
public record Mount(String type, String source, String target, List<String> options) {
  public Mount {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    options = List.copyOf(options);
  }

  /** A bind mount ({@code type=bind}, options {@code rbind} plus {@code ro} when read-only). */
  public static Mount bind(String source, String target, boolean readOnly) {
    return new Mount("bind", source, target, readOnly ? List.of("rbind", "ro") : List.of("rbind"));
  }

  /** True for {@code bind} and {@code rbind} mounts (type {@code bind} or a {@code bind}/{@code rbind} option). */
  public boolean isBind() {
    return "bind".equals(type) || options.contains("bind") || options.contains("rbind");
  }

  /** True when mounted read-only ({@code ro} option). */
  public boolean isReadOnly() {
    return options.contains("ro");
  }
}
