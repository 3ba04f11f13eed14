package io.goldilocks.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldilocks.hypervisor.Accelerator;
import io.goldilocks.hypervisor.HypervisorException;
import io.goldilocks.hypervisor.ReadinessProbe;
import io.goldilocks.hypervisor.VirtualMachine;
import io.goldilocks.hypervisor.VmBootException;
import io.goldilocks.hypervisor.VmConfig;
import io.goldilocks.hypervisor.VmExit;
import io.goldilocks.hypervisor.VmPhase;
import io.goldilocks.hypervisor.VmPhaseException;
import io.goldilocks.testing.HostRequirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real QEMU (TCG on these machines) booting Debian's cloud kernel with a busybox initramfs. Few, combined tests:
 * every full boot costs seconds of a shared machine.
 */
class QemuVirtualMachineTest {
  private static final String PORT = "test.echo";
  private static final String TAG = "hostshare";
  private static final Duration BOOT_DEADLINE = Duration.ofSeconds(90);

  private static Path fixtureDir;
  private static TestKernel kernel;
  private static Path initramfs;

  @TempDir Path temp;

  private final QemuHypervisor hypervisor = new QemuHypervisor();
  private final List<VirtualMachine> vms = new ArrayList<>();

  @BeforeAll
  static void fixture() throws Exception {
    HostRequirements.requireExecutable(QemuCommandLine.DEFAULT_QEMU.toString());
    HostRequirements.requireExecutable(VirtiofsdCommand.DEFAULT_BINARY.toString());
    HostRequirements.requireRoot(); // virtiofsd's namespace sandbox
    kernel = TestKernel.get();
    fixtureDir = Files.createTempDirectory("hv-fixture");
    initramfs = TestInitramfs.build(kernel, fixtureDir, fixtureDir.resolve("initramfs.cpio"));
  }

  @AfterAll
  static void removeFixture() throws Exception {
    if (fixtureDir != null) {
      VmCleaner.deleteRecursively(fixtureDir);
    }
  }

  @org.junit.jupiter.api.AfterEach
  void closeVms() {
    vms.forEach(VirtualMachine::close);
  }

  @Test
  void bootsTalksSharesPowersOffAndLeavesNothing() throws Exception {
    Path share = Files.createDirectories(temp.resolve("share"));
    Files.writeString(share.resolve("from-host.txt"), "hello from the host");
    VirtualMachine vm = boot(config("vm-a").share(TAG, share)
        .kernelArgs("gl.echo=" + PORT, "gl.share=" + TAG));
    CompletableFuture<VmExit> exited = new CompletableFuture<>();
    vm.onExit(exited::complete);
    List<PidFile> pids = pidFiles(vm.runDirectory());
    assertThat(vm.accelerator().kind()).isEqualTo(Accelerator.Kind.TCG);

    vm.awaitReady(echoProbe(), BOOT_DEADLINE);

    assertThat(vm.phase()).isEqualTo(VmPhase.READY);
    assertThat(Files.readString(vm.consoleLog())).contains(TestInitramfs.BOOT_MARKER, "SHARE-READ:hello from the host");
    assertThat(share.resolve("from-guest.txt")).hasContent("written by the guest");
    assertThat(vm.status().running()).isTrue();
    assertThat(vm.status().qemuState()).isEqualTo("running");
    assertThat(echo(vm, "second line")).isEqualTo("echo:second line");

    VmExit exit = vm.powerOff(Duration.ofSeconds(60));
    assertThat(exit.reason()).isEqualTo(VmExit.Reason.STOPPED);
    assertThat(exit.qemuExitCode()).isZero();
    assertThat(exit.consoleTail()).contains("POWER-BUTTON-PRESSED"); // the guest's own power-off, no QMP quit
    assertThat(exited.get(5, TimeUnit.SECONDS)).isEqualTo(exit);
    assertNothingLeft(vm, pids);
    assertThatThrownBy(vm::status).isInstanceOf(VmPhaseException.class);
    vm.close();
    vm.close();
    assertThat(vm.phase()).isEqualTo(VmPhase.CLOSED);
  }

  @Test
  void qemuKilledFromOutsideTearsDownVirtiofsdAndTheRunDirectory() throws Exception {
    Path share = Files.createDirectories(temp.resolve("share"));
    VirtualMachine vm = boot(config("vm-b").share(TAG, share).kernelArgs("gl.echo=" + PORT));
    CompletableFuture<VmExit> exited = new CompletableFuture<>();
    vm.onExit(exited::complete);
    List<PidFile> pids = pidFiles(vm.runDirectory());
    vm.awaitReady(echoProbe(), BOOT_DEADLINE);

    PidFile qemu = PidFile.read(vm.runDirectory().resolve("qemu.pid")).orElseThrow();
    TestKernel.run(null, "kill", "-KILL", Long.toString(qemu.pid()));

    VmExit exit = exited.get(30, TimeUnit.SECONDS);
    assertThat(exit.reason()).isEqualTo(VmExit.Reason.QEMU_EXITED);
    assertThat(exit.qemuExitCode()).isEqualTo(128 + 9);
    assertThat(exit.consoleTail()).anyMatch(line -> line.contains(TestInitramfs.BOOT_MARKER));
    assertNothingLeft(vm, pids);
  }

  @Test
  void aGuestThatNeverBecomesReadyFailsWithItsConsoleTailAndLeavesNothing() throws Exception {
    VirtualMachine vm = boot(config("vm-c"));
    List<PidFile> pids = pidFiles(vm.runDirectory());

    assertThatThrownBy(() -> vm.awaitReady((machine, left) -> false, Duration.ofSeconds(3)))
        .isInstanceOfSatisfying(VmBootException.class, e -> {
          assertThat(e.code()).isEqualTo(HypervisorException.Code.DEADLINE_EXCEEDED);
          assertThat(e.consoleTail()).isNotEmpty();
          assertThat(e.getMessage()).contains("not ready within", e.consoleTail().get(e.consoleTail().size() - 1));
        });
    assertNothingLeft(vm, pids);
    assertThatThrownBy(() -> vm.awaitReady((machine, left) -> true, Duration.ofSeconds(1)))
        .isInstanceOf(VmPhaseException.class);
  }

  @Test
  void powerOffQuitsQemuWhenTheGuestIgnoresThePowerButton() throws Exception {
    VirtualMachine vm = boot(config("vm-d"));
    List<PidFile> pids = pidFiles(vm.runDirectory());

    VmExit exit = vm.powerOff(Duration.ofMillis(500));

    assertThat(exit.reason()).isEqualTo(VmExit.Reason.STOPPED);
    assertThat(exit.qemuExitCode()).isZero(); // QMP quit, not a kill
    assertNothingLeft(vm, pids);
    assertThat(vm.powerOff(Duration.ofMillis(1))).isEqualTo(exit);
  }

  @Test
  void cleanerKillsAndRemovesAVmFromItsRunDirectoryAlone() throws Exception {
    Path share = Files.createDirectories(temp.resolve("share"));
    VirtualMachine vm = boot(config("vm-e").share(TAG, share));
    CompletableFuture<VmExit> exited = new CompletableFuture<>();
    vm.onExit(exited::complete);
    List<PidFile> pids = pidFiles(vm.runDirectory());
    assertThat(pids).hasSize(2);

    VmCleaner.Result result = VmCleaner.cleanup(vm.runDirectory());

    assertThat(result.removedDirectory()).isTrue();
    assertThat(result.killedPids()).containsExactlyInAnyOrderElementsOf(pids.stream().map(PidFile::pid).toList());
    assertThat(exited.get(30, TimeUnit.SECONDS)).isNotNull();
    assertNothingLeft(vm, pids);
    assertThat(VmCleaner.cleanup(vm.runDirectory()).removedDirectory()).isFalse();
  }

  @Test
  void qemuFailingAtStartIsABootErrorCarryingQemusMessage() throws Exception {
    Path notAKernel = Files.writeString(temp.resolve("not-a-kernel"), "garbage");
    VirtualMachine vm = boot(config("vm-f").kernel(notAKernel));

    assertThatThrownBy(() -> vm.awaitReady(echoProbe(), BOOT_DEADLINE))
        .isInstanceOfSatisfying(VmBootException.class, e -> {
          assertThat(e.code()).isEqualTo(HypervisorException.Code.UNAVAILABLE);
          assertThat(e.getMessage()).contains("QEMU exited with status 1").containsIgnoringCase("kernel");
        });
    assertThat(vm.runDirectory()).doesNotExist();
    assertThat(vm.phase()).isEqualTo(VmPhase.EXITED);
  }

  @Test
  void aVirtiofsdDyingStopsTheVm() throws Exception {
    Path share = Files.createDirectories(temp.resolve("share"));
    VirtualMachine vm = boot(config("vm-g").share(TAG, share));
    List<PidFile> pids = pidFiles(vm.runDirectory());
    PidFile virtiofsd = PidFile.read(vm.runDirectory().resolve("virtiofsd-" + TAG + ".pid")).orElseThrow();

    TestKernel.run(null, "kill", "-KILL", Long.toString(virtiofsd.pid()));

    VmExit exit = vm.awaitExit(Duration.ofSeconds(30)).orElseThrow();
    assertThat(exit.reason()).isEqualTo(VmExit.Reason.HELPER_DIED);
    assertThat(exit.detail()).contains("virtiofsd-" + TAG);
    assertNothingLeft(vm, pids);
  }

  private VmConfig.Builder config(String id) {
    return VmConfig.builder(id).kernel(kernel.vmlinuz()).initrd(initramfs).memoryMib(256)
        .runRoot(temp.resolve("run")).serialPort(PORT).kernelArgs("quiet");
  }

  private VirtualMachine boot(VmConfig.Builder builder) throws Exception {
    VirtualMachine vm = hypervisor.boot(builder.build());
    vms.add(vm);
    return vm;
  }

  /** Ready = a line comes back on the echo port. */
  private static ReadinessProbe echoProbe() {
    return (vm, left) -> "echo:ping".equals(echo(vm, "ping"));
  }

  private static String echo(VirtualMachine vm, String line) throws Exception {
    try (UnixLineChannel channel = UnixLineChannel.connect(vm.serialPortSocket(PORT), Duration.ofSeconds(2))) {
      channel.writeLine(line, Duration.ofSeconds(2));
      return channel.readLine(Duration.ofSeconds(2));
    }
  }

  /** The process group of every live process (field 5 of /proc/<pid>/stat): forked helpers count too. */
  private static List<Long> processGroupsOfLiveProcesses() throws Exception {
    List<Long> groups = new ArrayList<>();
    try (var procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        try {
          String stat = Files.readString(proc.resolve("stat"));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          if (!fields[0].equals("Z")) {
            groups.add(Long.parseLong(fields[2]));
          }
        } catch (java.io.IOException gone) {
          // exited while we looked
        }
      }
    }
    return groups;
  }

  private static List<PidFile> pidFiles(Path runDir) throws Exception {
    List<PidFile> pids = new ArrayList<>();
    try (var files = Files.newDirectoryStream(runDir, "*.pid")) {
      files.forEach(file -> pids.add(PidFile.read(file).orElseThrow()));
    }
    return pids;
  }

  private static void assertNothingLeft(VirtualMachine vm, List<PidFile> pids) throws Exception {
    assertThat(pids).isNotEmpty().noneMatch(PidFile::isAlive);
    List<Long> groups = pids.stream().map(PidFile::pid).toList();
    assertThat(processGroupsOfLiveProcesses()).as("process groups still alive").doesNotContainAnyElementsOf(groups);
    assertThat(vm.runDirectory()).doesNotExist();
    assertThat(vm.phase()).isIn(VmPhase.EXITED, VmPhase.CLOSED);
  }
}
