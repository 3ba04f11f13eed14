package io.goldilocks.shim.sandbox;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
 * @param rootDisk the read-only root image of the root-image layout ({@code rootfs.file}, or {@code rootfs.img} for
 *     {@code layout=erofs}), attached as the first virtio disk ({@code /dev/vda}); empty for the initramfs layout
 */
public record GuestImage(Path kernel, Path initrd, List<String> kernelArgs, Optional<Path> rootDisk) {
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
    Objects.requireNonNull(rootDisk, "rootDisk");
  }

  /** An initramfs-layout image without extra kernel arguments. */
  public GuestImage(Path kernel, Path initrd) {
    this(kernel, initrd, List.of(), Optional.empty());
  }

  /** The image in a guest directory ({@code DIR/vmlinuz}, {@code DIR/initrd.img}, {@code DIR/guest.properties}). */
  public static GuestImage in(Path dir) {
    Properties p = properties(dir.resolve(PROPERTIES));
    List<String> args = Arrays.stream(p.getProperty("kernel.cmdline", "").trim().split("\\s+"))
        .filter(arg -> !arg.isEmpty() && !HYPERVISOR_ARGS.contains(arg.split("=", 2)[0]))
        .toList();
    String rootFile = p.getProperty("rootfs.file", "erofs".equals(p.getProperty("layout")) ? "rootfs.img" : null);
    Optional<Path> rootDisk = Optional.ofNullable(rootFile).filter(f -> !f.isBlank()).map(dir::resolve);
    return new GuestImage(dir.resolve(KERNEL), dir.resolve(INITRD), args, rootDisk);
  }

  /** True when every file of the image exists. */
  public boolean isComplete() {
    return files().stream().allMatch(Files::isRegularFile);
  }

  /** The image's files: kernel, initrd and, for the root-image layout, the root disk. */
  public List<Path> files() {
    return rootDisk.map(d -> List.of(kernel, initrd, d)).orElse(List.of(kernel, initrd));
  }

  private static Properties properties(Path file) {
    Properties p = new Properties();
    try {
      if (Files.isRegularFile(file) && Files.size(file) <= MAX_PROPERTIES) {
        try (Reader in = Files.newBufferedReader(file)) {
          p.load(in);
        }
      }
    } catch (IOException e) {
      // an unreadable guest.properties leaves the defaults: the initramfs layout, no extra arguments
    }
    return p;
  }
}
