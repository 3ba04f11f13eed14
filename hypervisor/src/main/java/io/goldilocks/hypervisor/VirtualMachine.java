package io.goldilocks.hypervisor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A booted VM. It has no configuration setters: its configuration was fixed by {@link VmConfig} before boot.
 * Each action is allowed only in some {@link VmPhase}s (see {@link VmAction}); outside them it throws
 * {@link VmPhaseException}. Implementations are thread-safe.
 */
public interface VirtualMachine extends AutoCloseable {
  String id();

  Accelerator accelerator();

  VmPhase phase();

  /** The per-VM run directory (sockets, pid files, console log); gone after exit. */
  Path runDirectory();

  /** The guest serial console log file (ttyS0), written by QEMU. */
  Path consoleLog();

  /** The host Unix socket of the virtio-serial port {@code name}; connect to it as a client. */
  Path serialPortSocket(String name) throws HypervisorException;

  /**
   * Polls {@code probe} until it reports ready (phase READY) or {@code deadline} passes. On timeout or if QEMU exits
   * first, the VM is torn down and a {@link VmBootException} carrying the console tail is thrown.
   */
  void awaitReady(ReadinessProbe probe, Duration deadline) throws HypervisorException;

  /** QEMU's run state (QMP query-status). */
  VmStatus status() throws HypervisorException;

  /**
   * Asks the guest to power off (ACPI power button); after {@code grace}, quits QEMU, and kills it if needed.
   * Returns the exit.
   */
  VmExit powerOff(Duration grace) throws HypervisorException;

  /** Kills QEMU and its helpers at once (SIGKILL to their process groups) and returns the exit. */
  VmExit kill() throws HypervisorException;

  /** Waits up to {@code timeout} for the VM to end. */
  Optional<VmExit> awaitExit(Duration timeout) throws HypervisorException, InterruptedException;

  /** Runs {@code listener} once when the VM ends (at once, on this thread, if it already has). */
  void onExit(Consumer<VmExit> listener);

  /** Kills what still runs and removes the run directory. Idempotent. */
  @Override
  void close();
}
