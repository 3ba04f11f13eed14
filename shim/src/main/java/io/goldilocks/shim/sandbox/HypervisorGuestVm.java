package io.goldilocks.shim.sandbox;

import io.goldilocks.hypervisor.ConsoleLog;
import io.goldilocks.hypervisor.HypervisorException;
import io.goldilocks.hypervisor.VirtualMachine;
import io.goldilocks.hypervisor.VmExit;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link GuestVm} over the hypervisor module's {@link VirtualMachine}. Thread-safe (the VM is). */
final class HypervisorGuestVm implements GuestVm {
  private static final Logger log = LoggerFactory.getLogger(HypervisorGuestVm.class);

  private final VirtualMachine vm;

  HypervisorGuestVm(VirtualMachine vm) {
    this.vm = vm;
  }

  @Override
  public void onExit(Consumer<String> listener) {
    vm.onExit(exit -> listener.accept(describe(exit)));
  }

  @Override
  public void powerOff(Duration grace) {
    try {
      vm.powerOff(grace);
    } catch (HypervisorException e) {
      log.debug("VM {}: power off: {}", vm.id(), e.getMessage());
      kill();
    }
  }

  @Override
  public void kill() {
    try {
      vm.kill();
    } catch (HypervisorException e) {
      log.debug("VM {}: kill: {}", vm.id(), e.getMessage());
    }
  }

  @Override
  public List<String> consoleTail() {
    return ConsoleLog.tail(vm.consoleLog());
  }

  @Override
  public void close() {
    vm.close();
  }

  /** A VM exit in one line plus the console tail, which usually says why a guest died. */
  static String describe(VmExit exit) {
    StringBuilder text = new StringBuilder(exit.reason().toString().toLowerCase().replace('_', ' '));
    if (exit.qemuExitCode() >= 0) {
      text.append(" (QEMU exit status ").append(exit.qemuExitCode()).append(')');
    }
    if (exit.detail() != null && !exit.detail().isBlank()) {
      text.append(": ").append(exit.detail());
    }
    if (!exit.consoleTail().isEmpty()) {
      text.append("\n--- guest console (tail) ---\n").append(String.join("\n", exit.consoleTail()));
    }
    return text.toString();
  }
}
