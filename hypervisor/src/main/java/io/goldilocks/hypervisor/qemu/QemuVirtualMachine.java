package io.goldilocks.hypervisor.qemu;

import io.goldilocks.hypervisor.Accelerator;
import io.goldilocks.hypervisor.ConsoleLog;
import io.goldilocks.hypervisor.HypervisorException;
import io.goldilocks.hypervisor.HypervisorException.Code;
import io.goldilocks.hypervisor.ReadinessProbe;
import io.goldilocks.hypervisor.VirtualMachine;
import io.goldilocks.hypervisor.VmAction;
import io.goldilocks.hypervisor.VmBootException;
import io.goldilocks.hypervisor.VmConfig;
import io.goldilocks.hypervisor.VmExit;
import io.goldilocks.hypervisor.VmLifecycle;
import io.goldilocks.hypervisor.VmPhase;
import io.goldilocks.hypervisor.VmStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A VM run by QEMU. One monitor thread ({@code vm-monitor-<id>}) waits for QEMU or any helper to end, for whatever
 * reason, and then does the whole teardown: kill the rest, read the console tail, remove the run directory,
 * publish the {@link VmExit}. While waiting it keeps the guest-written console log within bounds. Every other path (kill, powerOff, close, a failed boot) only makes QEMU end and waits
 * for the monitor. Thread-safe.
 */
final class QemuVirtualMachine implements VirtualMachine {
  private static final Logger LOG = LoggerFactory.getLogger(QemuVirtualMachine.class);
  private static final Duration QMP_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration EXIT_WAIT = Duration.ofSeconds(15);
  private static final Duration QUIT_WAIT = Duration.ofSeconds(5);
  private static final Duration HELPER_GRACE = Duration.ofMillis(500);
  private static final long PROBE_INTERVAL_MS = 50;
  private static final Duration CONSOLE_CHECK_INTERVAL = Duration.ofSeconds(1);

  private final VmConfig config;
  private final Accelerator accelerator;
  private final RunLayout layout;
  private final VmLifecycle lifecycle;
  private final ChildProcess qemu;
  private final List<ChildProcess> helpers;
  private final CompletableFuture<VmExit> exit = new CompletableFuture<>();
  private final Thread monitor;
  private final ConsoleLimit consoleLimit;
  private final Object qmpLock = new Object();
  private QmpClient qmp; // guarded by qmpLock
  private volatile String stopRequest; // why we are stopping it; null while nobody asked

  QemuVirtualMachine(VmConfig config, Accelerator accelerator, RunLayout layout, ChildProcess qemu,
                     List<ChildProcess> helpers) {
    this.config = config;
    this.accelerator = accelerator;
    this.layout = layout;
    this.lifecycle = new VmLifecycle(config.id());
    this.qemu = qemu;
    this.helpers = List.copyOf(helpers);
    this.consoleLimit = new ConsoleLimit(layout.consoleLog(), ConsoleLimit.DEFAULT_MAX_BYTES);
    this.monitor = new Thread(this::supervise, "vm-monitor-" + config.id());
    monitor.setDaemon(true);
  }

  void startMonitor() {
    monitor.start();
  }

  @Override
  public String id() {
    return config.id();
  }

  @Override
  public Accelerator accelerator() {
    return accelerator;
  }

  @Override
  public VmPhase phase() {
    return lifecycle.phase();
  }

  @Override
  public Path runDirectory() {
    return layout.dir();
  }

  @Override
  public Path consoleLog() {
    return layout.consoleLog();
  }

  @Override
  public Path serialPortSocket(String name) throws HypervisorException {
    lifecycle.check(VmAction.SERIAL_PORT);
    for (int i = 0; i < config.serialPorts().size(); i++) {
      if (config.serialPorts().get(i).name().equals(name)) {
        return layout.serialPortSocket(i);
      }
    }
    throw new HypervisorException(Code.NOT_FOUND, "VM " + id() + " has no serial port named " + name);
  }

  @Override
  public void awaitReady(ReadinessProbe probe, Duration deadline) throws HypervisorException {
    if (lifecycle.check(VmAction.AWAIT_READY) == VmPhase.READY) {
      return;
    }
    Instant end = Instant.now().plus(deadline);
    Exception lastFailure = null;
    while (true) {
      if (exit.isDone()) {
        VmExit ended = exit.join();
        throw new VmBootException(Code.UNAVAILABLE, "VM " + id() + " ended while booting: " + ended.detail(),
            ended.consoleTail(), lastFailure);
      }
      Duration left = Duration.between(Instant.now(), end);
      if (left.isNegative() || left.isZero()) {
        VmExit ended = stop("boot deadline of " + deadline + " passed");
        throw new VmBootException(Code.DEADLINE_EXCEEDED, "VM " + id() + " not ready within " + deadline
            + " (accelerator " + accelerator + ")", ended.consoleTail(), lastFailure);
      }
      try {
        if (probe.isReady(this, left) && lifecycle.moveTo(VmPhase.READY)) {
          return;
        }
      } catch (InterruptedException e) {
        stop("interrupted while booting"); // before restoring the flag: stop() waits for the teardown
        Thread.currentThread().interrupt();
        throw new VmBootException(Code.UNAVAILABLE, "interrupted while VM " + id() + " booted", List.of(), e);
      } catch (Exception e) {
        lastFailure = e;
      }
      pause(Math.min(PROBE_INTERVAL_MS, Math.max(1, left.toMillis())));
    }
  }

  @Override
  public VmStatus status() throws HypervisorException {
    lifecycle.check(VmAction.QUERY_STATUS);
    return execute(new QmpCommand.QueryStatus());
  }

  @Override
  public VmExit powerOff(Duration grace) throws HypervisorException {
    lifecycle.check(VmAction.POWER_OFF);
    if (exit.isDone()) {
      return exit.join();
    }
    stopRequest = "powered off";
    try {
      execute(new QmpCommand.SystemPowerdown());
    } catch (HypervisorException e) {
      LOG.debug("VM {}: system_powerdown failed, quitting instead", id(), e);
    }
    Optional<VmExit> ended = waitForExit(grace);
    if (ended.isPresent()) {
      return ended.get();
    }
    LOG.info("VM {}: guest did not power off within {}; quitting QEMU", id(), grace);
    try {
      execute(new QmpCommand.Quit());
    } catch (HypervisorException e) {
      LOG.debug("VM {}: QMP quit failed, killing", id(), e);
    }
    return waitForExit(QUIT_WAIT).orElseGet(() -> stop("powered off (QEMU did not quit; killed)"));
  }

  @Override
  public VmExit kill() throws HypervisorException {
    lifecycle.check(VmAction.KILL);
    return stop("killed");
  }

  @Override
  public Optional<VmExit> awaitExit(Duration timeout) throws HypervisorException, InterruptedException {
    lifecycle.check(VmAction.AWAIT_EXIT);
    try {
      return Optional.of(exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      throw HypervisorException.internal("VM monitor failed", e.getCause());
    }
  }

  @Override
  public void onExit(Consumer<VmExit> listener) {
    exit.thenAccept(ended -> {
      try {
        listener.accept(ended);
      } catch (RuntimeException e) {
        LOG.warn("VM {}: exit listener failed", id(), e);
      }
    });
  }

  @Override
  public void close() {
    if (lifecycle.phase() == VmPhase.CLOSED) {
      return;
    }
    if (!exit.isDone()) {
      stop("closed");
    }
    lifecycle.moveTo(VmPhase.CLOSED);
  }

  @Override
  public String toString() {
    return "QemuVirtualMachine[" + id() + ", " + qemu + ", " + lifecycle.phase() + "]";
  }

  /** Makes QEMU and the helpers end now and waits for the monitor's teardown. */
  private VmExit stop(String why) {
    if (stopRequest == null) {
      stopRequest = why;
    }
    killAll();
    Optional<VmExit> ended = waitForExit(EXIT_WAIT);
    if (ended.isPresent()) {
      return ended.get();
    }
    // The monitor is stuck (it should never be): clean from disk as a separate process would.
    LOG.error("VM {}: monitor did not finish teardown; cleaning the run directory directly", id());
    try {
      VmCleaner.cleanup(layout.dir());
    } catch (IOException e) {
      LOG.error("VM {}: cleanup of {} failed", id(), layout.dir(), e);
    }
    return new VmExit(VmExit.Reason.STOPPED, qemu.exitCode(), why + " (teardown forced)", List.of());
  }

  private Optional<VmExit> waitForExit(Duration timeout) {
    try {
      return Optional.of(exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.ofNullable(exit.getNow(null));
    } catch (ExecutionException e) {
      return Optional.empty();
    }
  }

  private <R> R execute(QmpCommand<R> command) throws HypervisorException {
    synchronized (qmpLock) {
      if (qmp == null) {
        qmp = QmpClient.connect(layout.qmpSocket(), QMP_TIMEOUT);
      }
      try {
        return qmp.execute(command, QMP_TIMEOUT);
      } catch (HypervisorException e) {
        if (e.code() == Code.UNAVAILABLE) {
          closeQmp();
        }
        throw e;
      }
    }
  }

  private void closeQmp() {
    synchronized (qmpLock) {
      if (qmp != null) {
        qmp.close();
        qmp = null;
      }
    }
  }

  private static final Duration GROUPS_EMPTY_TIMEOUT = Duration.ofSeconds(5);

  private void killAll() {
    List<ChildProcess> all = new ArrayList<>(helpers);
    all.add(0, qemu);
    List<Long> groups = all.stream().map(ChildProcess::pid).toList();
    // Every group, also of leaders that already exited: virtiofsd leaves when QEMU goes, but its sandbox child (same
    // group) may still run. Then wait until the groups are empty, so teardown returns with nothing of the VM alive.
    ProcessGroups.kill(groups);
    all.stream().filter(ChildProcess::isAlive).forEach(ChildProcess::destroyForcibly);
    ProcessGroups.awaitEmpty(groups, GROUPS_EMPTY_TIMEOUT);
  }

  // ---- the monitor thread ----

  private void supervise() {
    List<CompletableFuture<Process>> ends = new ArrayList<>();
    ends.add(qemu.onExit());
    helpers.forEach(helper -> ends.add(helper.onExit()));
    CompletableFuture<Object> anyEnded = CompletableFuture.anyOf(ends.toArray(CompletableFuture[]::new));
    while (!anyEnded.isDone()) {
      try {
        anyEnded.get(CONSOLE_CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        consoleLimit.enforce();
      } catch (InterruptedException | ExecutionException | RuntimeException e) {
        LOG.error("VM {}: waiting for processes failed", id(), e);
        break;
      }
    }
    VmExit ended;
    try {
      ended = tearDown(exitCause());
    } catch (RuntimeException e) {
      LOG.error("VM {}: teardown failed", id(), e);
      ended = new VmExit(VmExit.Reason.STOPPED, qemu.exitCode(), "teardown failed: " + e, List.of());
    }
    lifecycle.moveTo(VmPhase.EXITED);
    exit.complete(ended);
  }

  /** Reason and detail, judged at the moment the first process ended. */
  private VmExit exitCause() {
    String requested = stopRequest;
    if (requested != null) {
      return new VmExit(VmExit.Reason.STOPPED, -1, requested, List.of());
    }
    // A helper that failed (non-zero status or a signal) is the cause even if QEMU died of it meanwhile.
    for (ChildProcess helper : helpers) {
      if (!helper.isAlive() && helper.exitCode() != 0) {
        return helperDied(helper);
      }
    }
    // virtiofsd exits with status 0 as soon as QEMU closes its socket, which may reach us before QEMU's own exit:
    // give QEMU a moment, so a guest power-off is not mistaken for a dead helper.
    qemu.awaitExit(HELPER_GRACE);
    for (ChildProcess helper : helpers) {
      if (!helper.isAlive() && qemu.isAlive()) {
        return helperDied(helper);
      }
    }
    return new VmExit(VmExit.Reason.QEMU_EXITED, -1,
        "QEMU exited with status " + qemu.exitCode() + logTail(qemu), List.of());
  }

  private VmExit helperDied(ChildProcess helper) {
    return new VmExit(VmExit.Reason.HELPER_DIED, -1,
        helper.name() + " exited with status " + helper.exitCode() + logTail(helper), List.of());
  }

  private VmExit tearDown(VmExit cause) {
    LOG.info("VM {}: {} ({}); tearing down", id(), cause.reason(), cause.detail());
    closeQmp();
    killAll();
    boolean allGone = qemu.awaitExit(EXIT_WAIT);
    for (ChildProcess helper : helpers) {
      allGone &= helper.awaitExit(EXIT_WAIT);
    }
    List<String> console = ConsoleLog.tail(layout.consoleLog());
    String detail = cause.detail() + (allGone ? "" : " (a process did not exit after SIGKILL)");
    if (cause.reason() != VmExit.Reason.QEMU_EXITED && !logTail(qemu).isEmpty()) {
      detail += " [qemu.log" + logTail(qemu) + "]"; // the log goes with the run directory
    }
    try {
      VmCleaner.deleteRecursively(layout.dir());
    } catch (IOException e) {
      LOG.error("VM {}: cannot remove run directory {}", id(), layout.dir(), e);
      detail += " (run directory not removed: " + e.getMessage() + ")";
    }
    LOG.info("VM {}: exited: {}, QEMU status {}", id(), detail, qemu.exitCode());
    return new VmExit(cause.reason(), qemu.exitCode(), detail, console);
  }

  private String logTail(ChildProcess child) {
    Path log = child == qemu ? layout.qemuLog() : layout.dir().resolve(child.name() + ".log");
    List<String> lines = ConsoleLog.tail(log).stream().filter(line -> !line.isBlank()).toList();
    List<String> last = lines.subList(Math.max(0, lines.size() - 5), lines.size());
    return last.isEmpty() ? "" : ": " + String.join(" | ", last);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
