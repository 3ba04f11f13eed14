package io.goldilocks.hypervisor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything needed to boot one VM; immutable. Built by {@link Builder}, the only mutable phase, which is sealed by
 * {@link Builder#build()}.
 */
public final class VmConfig {
  /** Where run directories go by default: {@code /run/goldilocks/vm/<id>}. */
  public static final Path DEFAULT_RUN_ROOT = Path.of("/run/goldilocks/vm");

  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final int MAX_VCPUS = 64;
  private static final int MIN_MEMORY_MIB = 64;

  private final String id;
  private final int vcpus;
  private final int memoryMib;
  private final Path kernel;
  private final Optional<Path> initrd;
  private final List<String> kernelArgs;
  private final boolean pvmGuestKernel;
  private final Path runDirectory;
  private final List<SerialPortSpec> serialPorts;
  private final List<SharedDirectory> shares;
  private final List<DiskImage> disks;
  private final List<TapInterface> taps;
  private final Optional<Path> netns;

  private VmConfig(Builder b) {
    id = b.id;
    vcpus = b.vcpus;
    memoryMib = b.memoryMib;
    kernel = b.kernel;
    initrd = Optional.ofNullable(b.initrd);
    kernelArgs = List.copyOf(b.kernelArgs);
    pvmGuestKernel = b.pvmGuestKernel;
    runDirectory = b.runRoot.resolve(b.id);
    serialPorts = List.copyOf(b.serialPorts);
    shares = List.copyOf(b.shares);
    disks = List.copyOf(b.disks);
    taps = List.copyOf(b.taps);
    netns = Optional.ofNullable(b.netns);
  }

  public static Builder builder(String id) {
    return new Builder(id);
  }

  public String id() {
    return id;
  }

  public int vcpus() {
    return vcpus;
  }

  public int memoryMib() {
    return memoryMib;
  }

  public Path kernel() {
    return kernel;
  }

  public Optional<Path> initrd() {
    return initrd;
  }

  /** Kernel arguments from the caller; the backend adds the ones its devices and accelerator need. */
  public List<String> kernelArgs() {
    return kernelArgs;
  }

  /** Whether the guest kernel was built as a PVM guest (CONFIG_PVM_GUEST), so it can run under kvm_pvm. */
  public boolean pvmGuestKernel() {
    return pvmGuestKernel;
  }

  public Path runDirectory() {
    return runDirectory;
  }

  public List<SerialPortSpec> serialPorts() {
    return serialPorts;
  }

  public List<SharedDirectory> shares() {
    return shares;
  }

  public List<DiskImage> disks() {
    return disks;
  }

  /** The network namespace QEMU runs in (its taps live there: the pod's netns), or empty for the shim's. */
  public Optional<Path> netns() {
    return netns;
  }

  public List<TapInterface> taps() {
    return taps;
  }

  static void requireToken(String value, String what) {
    if (value == null || !TOKEN.matcher(value).matches()) {
      throw new IllegalArgumentException(what + " must be 1-64 of [A-Za-z0-9_.-], starting alphanumeric: " + value);
    }
  }

  /** The mutable, pre-boot phase of a VM. Single use: after {@link #build()} every method throws. Not thread-safe. */
  public static final class Builder {
    private final String id;
    private int vcpus = 1;
    private int memoryMib = 256;
    private Path kernel;
    private Path initrd;
    private final List<String> kernelArgs = new ArrayList<>();
    private boolean pvmGuestKernel;
    private Path runRoot = DEFAULT_RUN_ROOT;
    private final List<SerialPortSpec> serialPorts = new ArrayList<>();
    private final List<SharedDirectory> shares = new ArrayList<>();
    private final List<DiskImage> disks = new ArrayList<>();
    private final List<TapInterface> taps = new ArrayList<>();
    private Path netns;
    private boolean built;

    private Builder(String id) {
      this.id = id;
    }

    public Builder vcpus(int count) {
      open("set vCPUs");
      vcpus = count;
      return this;
    }

    public Builder memoryMib(int mib) {
      open("set memory");
      memoryMib = mib;
      return this;
    }

    public Builder kernel(Path vmlinuz) {
      open("set kernel");
      kernel = vmlinuz.toAbsolutePath().normalize();
      return this;
    }

    public Builder initrd(Path image) {
      open("set initrd");
      initrd = image.toAbsolutePath().normalize();
      return this;
    }

    public Builder kernelArgs(String... args) {
      open("add kernel arguments");
      kernelArgs.addAll(List.of(args));
      return this;
    }

    public Builder pvmGuestKernel(boolean capable) {
      open("declare a PVM guest kernel");
      pvmGuestKernel = capable;
      return this;
    }

    /** Parent of the run directory ({@code <runRoot>/<id>}); tests use a temp dir. */
    public Builder runRoot(Path dir) {
      open("set the run root");
      runRoot = dir.toAbsolutePath().normalize();
      return this;
    }

    public Builder serialPort(String name) {
      open("add a serial port");
      serialPorts.add(new SerialPortSpec(name));
      return this;
    }

    public Builder share(String tag, Path hostDir) {
      open("add a share");
      shares.add(new SharedDirectory(tag, hostDir));
      return this;
    }

    public Builder readOnlyDisk(String diskId, Path image) {
      open("add a disk");
      disks.add(new DiskImage(diskId, image));
      return this;
    }

    public Builder tap(TapInterface tap) {
      open("add a network device");
      taps.add(tap);
      return this;
    }

    /** Runs QEMU in this network namespace (a path like /var/run/netns/NAME), where the taps are. */
    public Builder netns(Path netns) {
      open("set the network namespace");
      this.netns = netns;
      return this;
    }

    /** Validates and seals the configuration. */
    public VmConfig build() throws InvalidVmConfigException {
      open("build again");
      validate();
      built = true;
      return new VmConfig(this);
    }

    private void open(String action) {
      if (built) {
        throw new VmConfigSealedException(action);
      }
    }

    private void validate() throws InvalidVmConfigException {
      check(id != null && TOKEN.matcher(id).matches(), "VM id must be 1-64 of [A-Za-z0-9_.-]: " + id);
      check(vcpus >= 1 && vcpus <= MAX_VCPUS, "vCPUs must be 1.." + MAX_VCPUS + ": " + vcpus);
      check(memoryMib >= MIN_MEMORY_MIB, "memory must be at least " + MIN_MEMORY_MIB + " MiB: " + memoryMib);
      check(kernel != null, "no kernel set");
      check(Files.isRegularFile(kernel), "kernel not found: " + kernel);
      check(initrd == null || Files.isRegularFile(initrd), "initrd not found: " + initrd);
      for (String arg : kernelArgs) {
        check(!arg.isBlank() && arg.chars().noneMatch(c -> c < 0x20 || c == ' '), "bad kernel argument: '" + arg + "'");
      }
      for (SharedDirectory share : shares) {
        check(Files.isDirectory(share.hostPath()), "share directory not found: " + share.hostPath());
        // virtiofsd splits its -o options at commas and cannot escape one
        check(!share.hostPath().toString().contains(","), "share path must not contain ',': " + share.hostPath());
      }
      for (DiskImage disk : disks) {
        check(Files.isRegularFile(disk.image()), "disk image not found: " + disk.image());
      }
      unique(serialPorts.stream().map(SerialPortSpec::name).toList(), "serial port name");
      unique(shares.stream().map(SharedDirectory::tag).toList(), "share tag");
      unique(disks.stream().map(DiskImage::id).toList(), "disk id");
      unique(taps.stream().map(TapInterface::id).toList(), "network device id");
      check(netns == null || Files.exists(netns), "network namespace not found: " + netns);
    }

    private static void unique(List<String> names, String what) throws InvalidVmConfigException {
      Set<String> seen = new HashSet<>();
      for (String name : names) {
        check(seen.add(name), "duplicate " + what + ": " + name);
      }
    }

    private static void check(boolean ok, String message) throws InvalidVmConfigException {
      if (!ok) {
        throw new InvalidVmConfigException(message);
      }
    }
  }
}
