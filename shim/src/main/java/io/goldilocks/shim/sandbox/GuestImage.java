package io.goldilocks.shim.sandbox;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

/**
 * The guest's boot files: a kernel, an initramfs that contains the agent, and the kernel arguments the image was
 * built for. Immutable, thread-safe.
 *
 * @param kernel the kernel image ({@code vmlinuz})
 * @param initrd the initramfs ({@code initrd.img})
 * @param kernelArgs arguments the image needs (from {@code guest.properties}' {@code kernel.cmdline}), without the
 *     ones the hypervisor sets itself (console, reboot, panic, TSC)
 */
public record GuestImage(Path kernel, Path initrd, List<String> kernelArgs) {
  /** File names inside a guest directory (what packaging writes to {@code packaging/target/guest}). */
  public static final String KERNEL = "vmlinuz";

  public static final String INITRD = "initrd.img";
  public static final String PROPERTIES = "guest.properties";

  /** Arguments the hypervisor module owns: passing them again would duplicate or contradict its own. */
  private static final Set<String> HYPERVISOR_ARGS = Set.of("console", "reboot", "panic", "tsc", "tsc_early_khz");
  private static final int MAX_PROPERTIES = 64 * 1024;

  public GuestImage {
    Objects.requireNonNull(kernel, "kernel");
    Objects.requireNonNull(initrd, "initrd");
    kernelArgs = List.copyOf(kernelArgs);
  }

  /** The image in a guest directory ({@code DIR/vmlinuz}, {@code DIR/initrd.img}, {@code DIR/guest.properties}). */
  public static GuestImage in(Path dir) {
    return new GuestImage(dir.resolve(KERNEL), dir.resolve(INITRD), kernelArgsOf(dir.resolve(PROPERTIES)));
  }

  /** True when the kernel and the initrd exist. */
  public boolean isComplete() {
    return Files.isRegularFile(kernel) && Files.isRegularFile(initrd);
  }

  private static List<String> kernelArgsOf(Path properties) {
    try {
      if (!Files.isRegularFile(properties) || Files.size(properties) > MAX_PROPERTIES) {
        return List.of();
      }
      Properties p = new Properties();
      try (Reader in = Files.newBufferedReader(properties)) {
        p.load(in);
      }
      return Arrays.stream(p.getProperty("kernel.cmdline", "").trim().split("\\s+"))
          .filter(arg -> !arg.isEmpty() && !HYPERVISOR_ARGS.contains(arg.split("=", 2)[0]))
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
