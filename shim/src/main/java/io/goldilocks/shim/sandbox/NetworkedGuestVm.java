package io.goldilocks.shim.sandbox;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link GuestVm} whose network attachment goes with it: closing the VM (every teardown path ends there) then
 * removes the taps and filters, after QEMU has let go of the tap. Thread-safe (both parts are).
 */
final class NetworkedGuestVm implements GuestVm {
  private final GuestVm vm;
  private final SandboxNetwork.Attachment network;

  NetworkedGuestVm(GuestVm vm, SandboxNetwork.Attachment network) {
    this.vm = vm;
    this.network = network;
  }

  @Override
  public void onExit(Consumer<String> listener) {
    vm.onExit(listener);
  }

  @Override
  public void powerOff(Duration grace) {
    vm.powerOff(grace);
  }

  @Override
  public void kill() {
    vm.kill();
  }

  @Override
  public List<String> consoleTail() {
    return vm.consoleTail();
  }

  @Override
  public void close() {
    try {
      vm.close();
    } finally {
      network.close();
    }
  }
}
