package io.goldilocks.shim.sandbox;

import io.goldilocks.ttrpc.TtrpcException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything needed to boot one sandbox. Immutable, thread-safe. Build one with {@link #builder(String)}; defaults
 * come from {@link GoldilocksConfig} (config file and environment).
 *
 * @param id the sandbox id (containerd's identifier rule, at most 64 characters): names the VM and its
 *     runtime directory
 * @param vcpus guest vCPUs (1..64)
 * @param memoryMib guest memory in MiB (64..65536)
 * @param guestImage the kernel and initramfs to boot
 * @param runtimeRoot the root of the host runtime directories: the sandbox's own {@code
 *     <runtimeRoot>/sandbox/<id>} (its rootfs share) and the VM's {@code <runtimeRoot>/vm/<id>} (sockets, console
 *     log); both are removed on teardown
 * @param bootDeadline how long the VM may take from QEMU start to the agent's first answered health check
 * @param healthInterval how often the watchdog checks the agent
 * @param healthDeadline how long one health check may take before the sandbox is declared lost
 * @param callDeadline the default deadline of a call into the guest
 */
public record SandboxConfig(
    String id,
    int vcpus,
    int memoryMib,
    GuestImage guestImage,
    Path runtimeRoot,
    Duration bootDeadline,
    Duration healthInterval,
    Duration healthDeadline,
    Duration callDeadline) {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9]+([._-][A-Za-z0-9]+)*");

  public SandboxConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(guestImage, "guestImage");
    Objects.requireNonNull(runtimeRoot, "runtimeRoot");
    Objects.requireNonNull(bootDeadline, "bootDeadline");
    Objects.requireNonNull(healthInterval, "healthInterval");
    Objects.requireNonNull(healthDeadline, "healthDeadline");
    Objects.requireNonNull(callDeadline, "callDeadline");
  }

  /** A builder with the defaults of {@link GoldilocksConfig#load()}. */
  public static Builder builder(String id) throws TtrpcException {
    return GoldilocksConfig.load().sandbox(id);
  }

  /** Whether a string is a valid sandbox id: containerd's identifier rule, at most 64 characters (a VM name). */
  public static boolean isValidId(String id) {
    return isValidIdentifier(id, 64);
  }

  /** containerd's identifier rule ({@code [A-Za-z0-9]+([._-][A-Za-z0-9]+)*}) with a length bound. */
  public static boolean isValidIdentifier(String id, int maxLength) {
    return id != null && !id.isEmpty() && id.length() <= maxLength && ID.matcher(id).matches();
  }

  /** This sandbox's own runtime directory (holds the rootfs share). */
  public Path sandboxDir() {
    return runtimeRoot.resolve("sandbox").resolve(id);
  }

  /** Parent of the VM's run directory ({@code <runtimeRoot>/vm}); the hypervisor adds the id. */
  public Path vmRunRoot() {
    return runtimeRoot.resolve("vm");
  }

  /** Builds a {@link SandboxConfig}. Not thread-safe. */
  public static final class Builder {
    private final String id;
    private int vcpus;
    private int memoryMib;
    private GuestImage guestImage;
    private Path runtimeRoot;
    private Duration bootDeadline;
    private Duration healthInterval;
    private Duration healthDeadline;
    private Duration callDeadline;

    Builder(String id, SandboxConfig defaults) {
      this.id = id;
      this.vcpus = defaults.vcpus;
      this.memoryMib = defaults.memoryMib;
      this.guestImage = defaults.guestImage;
      this.runtimeRoot = defaults.runtimeRoot;
      this.bootDeadline = defaults.bootDeadline;
      this.healthInterval = defaults.healthInterval;
      this.healthDeadline = defaults.healthDeadline;
      this.callDeadline = defaults.callDeadline;
    }

    public Builder vcpus(int vcpus) {
      this.vcpus = vcpus;
      return this;
    }

    public Builder memoryMib(int memoryMib) {
      this.memoryMib = memoryMib;
      return this;
    }

    public Builder guestImage(GuestImage guestImage) {
      this.guestImage = guestImage;
      return this;
    }

    public Builder runtimeRoot(Path runtimeRoot) {
      this.runtimeRoot = runtimeRoot;
      return this;
    }

    public Builder bootDeadline(Duration bootDeadline) {
      this.bootDeadline = bootDeadline;
      return this;
    }

    public Builder healthInterval(Duration healthInterval) {
      this.healthInterval = healthInterval;
      return this;
    }

    public Builder healthDeadline(Duration healthDeadline) {
      this.healthDeadline = healthDeadline;
      return this;
    }

    public Builder callDeadline(Duration callDeadline) {
      this.callDeadline = callDeadline;
      return this;
    }

    /**
     * Checks and builds the config.
     *
     * @throws TtrpcException INVALID_ARGUMENT naming the bad value
     */
    public SandboxConfig build() throws TtrpcException {
      if (!isValidId(id)) {
        throw TtrpcException.invalidArgument("invalid sandbox id '%s': want [A-Za-z0-9]+([._-][A-Za-z0-9]+)*, at most 64 characters", id);
      }
      requireRange("vcpus", vcpus, 1, 64);
      requireRange("memory (MiB)", memoryMib, 64, 65536);
      requirePositive("boot deadline", bootDeadline);
      requirePositive("health interval", healthInterval);
      requirePositive("health deadline", healthDeadline);
      requirePositive("call deadline", callDeadline);
      return new SandboxConfig(id, vcpus, memoryMib, guestImage, runtimeRoot, bootDeadline, healthInterval,
          healthDeadline, callDeadline);
    }

    private static void requireRange(String what, int value, int min, int max) throws TtrpcException {
      if (value < min || value > max) {
        throw TtrpcException.invalidArgument("%s must be in %d..%d, got %d", what, min, max, value);
      }
    }

    private static void requirePositive(String what, Duration value) throws TtrpcException {
      if (value == null || value.isNegative() || value.isZero()) {
        throw TtrpcException.invalidArgument("%s must be positive, got %s", what, value);
      }
    }
  }
}
