package io.goldilocks.hypervisor.qemu;

import io.goldilocks.hypervisor.Accelerator;
import io.goldilocks.hypervisor.ConsoleLog;
import io.goldilocks.hypervisor.Hypervisor;
import io.goldilocks.hypervisor.HypervisorException;
import io.goldilocks.hypervisor.HypervisorException.Code;
import io.goldilocks.hypervisor.InvalidVmConfigException;
import io.goldilocks.hypervisor.SharedDirectory;
import io.goldilocks.hypervisor.VirtualMachine;
import io.goldilocks.hypervisor.VmConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Boots VMs with QEMU's microvm machine: one virtiofsd per share first, then QEMU. Everything lives in the VM's run
 * directory; a failure at any step removes what was started. Thread-safe (immutable).
 */
public final class QemuHypervisor implements Hypervisor {
  private static final Logger LOG = LoggerFactory.getLogger(QemuHypervisor.class);
  private static final Duration HELPER_SOCKET_WAIT = Duration.ofSeconds(10);

  private final Path qemuBinary;
  private final Path virtiofsdBinary;
  private final AcceleratorProbe acceleratorProbe;
  private final OptionalLong tscKhz;

  public QemuHypervisor() {
    this(QemuCommandLine.DEFAULT_QEMU, VirtiofsdCommand.DEFAULT_BINARY,
        new AcceleratorProbe(AcceleratorProbe.HostFacts.read()), HostTsc.khz());
  }

  public QemuHypervisor(Path qemuBinary, Path virtiofsdBinary, AcceleratorProbe acceleratorProbe,
                        OptionalLong tscKhz) {
    this.qemuBinary = qemuBinary;
    this.virtiofsdBinary = virtiofsdBinary;
    this.acceleratorProbe = acceleratorProbe;
    this.tscKhz = tscKhz;
  }

  @Override
  public Accelerator accelerator(VmConfig config) {
    return acceleratorProbe.choose(config.pvmGuestKernel());
  }

  @Override
  public VirtualMachine boot(VmConfig config) throws HypervisorException {
    Accelerator accelerator = accelerator(config);
    RunLayout layout = new RunLayout(config.runDirectory());
    checkHost(config);
    checkSocketPaths(config, layout);
    createRunDirectory(layout.dir());
    LOG.info("VM {}: booting under {} in {}", config.id(), accelerator, layout.dir());
    List<ChildProcess> started = new ArrayList<>();
    try {
      for (int i = 0; i < config.shares().size(); i++) {
        started.add(startVirtiofsd(i, config.shares().get(i), layout));
      }
      List<QemuDevice> devices = QemuCommandLine.devices(config, accelerator.kind(), layout, tscKhz);
      ChildProcess qemu = ChildProcess.start("qemu",
          QemuCommandLine.inNetns(config.netns(), QemuCommandLine.argv(qemuBinary, devices)), layout.qemuLog(),
          layout.qemuPidFile());
      started.add(qemu);
      QemuVirtualMachine vm = new QemuVirtualMachine(config, accelerator, layout, qemu,
          started.subList(0, started.size() - 1));
      vm.startMonitor();
      return vm;
    } catch (IOException | HypervisorException | RuntimeException e) {
      abandon(started, layout.dir());
      if (e instanceof HypervisorException he) {
        throw he;
      }
      throw HypervisorException.internal("VM " + config.id() + ": cannot start: " + e.getMessage(), e);
    }
  }

  private ChildProcess startVirtiofsd(int index, SharedDirectory share, RunLayout layout)
      throws IOException, HypervisorException {
    Path socket = layout.virtiofsdSocket(index);
    VirtiofsdCommand command = new VirtiofsdCommand(virtiofsdBinary, socket, share.hostPath());
    ChildProcess child = ChildProcess.start("virtiofsd-" + share.tag(), command.args(),
        layout.virtiofsdLog(share.tag()), layout.virtiofsdPidFile(share.tag()));
    Instant deadline = Instant.now().plus(HELPER_SOCKET_WAIT);
    while (!UnixSockets.isListening(socket)) {
      if (!child.isAlive() || Instant.now().isAfter(deadline)) {
        child.killGroup();
        child.awaitExit(Duration.ofSeconds(5));
        throw new HypervisorException(Code.UNAVAILABLE, "virtiofsd for share " + share.tag() + " did not start: "
            + String.join(" | ", ConsoleLog.tail(layout.virtiofsdLog(share.tag()))));
      }
      sleep(10);
    }
    return child;
  }

  private void checkHost(VmConfig config) throws HypervisorException {
    if (!Files.isExecutable(qemuBinary)) {
      throw new HypervisorException(Code.FAILED_PRECONDITION, "QEMU not installed at " + qemuBinary);
    }
    if (!config.shares().isEmpty() && !Files.isExecutable(virtiofsdBinary)) {
      throw new HypervisorException(Code.FAILED_PRECONDITION, "virtiofsd not installed at " + virtiofsdBinary);
    }
  }

  private static void checkSocketPaths(VmConfig config, RunLayout layout) throws InvalidVmConfigException {
    List<Path> sockets = new ArrayList<>(List.of(layout.qmpSocket()));
    for (int i = 0; i < Math.max(config.serialPorts().size(), config.shares().size()); i++) {
      sockets.add(layout.serialPortSocket(i));
      sockets.add(layout.virtiofsdSocket(i));
    }
    for (Path socket : sockets) {
      if (socket.toString().length() > RunLayout.MAX_SOCKET_PATH) {
        throw new InvalidVmConfigException("socket path longer than " + RunLayout.MAX_SOCKET_PATH
            + " bytes (shorten the run root or names): " + socket);
      }
    }
  }

  private static void createRunDirectory(Path dir) throws HypervisorException {
    if (Files.exists(dir)) {
      throw new HypervisorException(Code.ALREADY_EXISTS, "run directory already exists (a VM with this id runs, or "
          + "was not cleaned: see VmCleaner): " + dir);
    }
    try {
      Files.createDirectories(dir.getParent());
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw HypervisorException.internal("cannot create run directory " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void abandon(List<ChildProcess> started, Path runDir) {
    started.forEach(ChildProcess::killGroup);
    started.forEach(child -> child.awaitExit(Duration.ofSeconds(10)));
    try {
      VmCleaner.deleteRecursively(runDir);
    } catch (IOException e) {
      LOG.error("cannot remove run directory {}", runDir, e);
    }
  }

  private static void sleep(long millis) throws HypervisorException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HypervisorException(Code.UNAVAILABLE, "interrupted while starting a VM", e);
    }
  }
}
