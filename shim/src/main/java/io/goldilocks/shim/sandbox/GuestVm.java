package io.goldilocks.shim.sandbox;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a sandbox needs of its running VM: to learn of its death, to stop it, and the console tail for errors. The
 * seam between the sandbox and the hypervisor module ({@link HypervisorGuestVm} adapts a {@code VirtualMachine}).
 * Implementations are thread-safe; every method returns within a bounded time and never throws.
 */
interface GuestVm extends AutoCloseable {
  /** Runs {@code listener} once with a description when the VM ends (at once if it has). */
  void onExit(Consumer<String> listener);

  /** Asks the guest to power off; kills the VM after {@code grace}. Returns once it is gone. */
  void powerOff(Duration grace);

  /** Kills the VM and its helpers at once. Returns once they are gone. */
  void kill();

  /** The last lines of the guest console. */
  List<String> consoleTail();

  /** Kills what still runs and removes the VM's run directory. Idempotent. */
  @Override
  void close();
}
