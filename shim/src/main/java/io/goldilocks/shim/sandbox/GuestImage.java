package io.goldilocks.shim.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The guest's boot files: a kernel and an initramfs that contains the agent. Immutable, thread-safe.
 *
 * @param kernel the kernel image ({@code vmlinuz})
 * @param initrd the initramfs ({@code initrd.img})
 */
public record GuestImage(Path kernel, Path initrd) {
  /** File names inside a guest directory. */
  public static final String KERNEL = "vmlinuz";

  public static final String INITRD = "initrd.img";

  public GuestImage {
    Objects.requireNonNull(kernel, "kernel");
    Objects.requireNonNull(initrd, "initrd");
  }

  /** The image in a guest directory ({@code DIR/vmlinuz}, {@code DIR/initrd.img}); not checked. */
  public static GuestImage in(Path dir) {
    return new GuestImage(dir.resolve(KERNEL), dir.resolve(INITRD));
  }

  /** True when both files exist. */
  public boolean isComplete() {
    return Files.isRegularFile(kernel) && Files.isRegularFile(initrd);
  }
}
