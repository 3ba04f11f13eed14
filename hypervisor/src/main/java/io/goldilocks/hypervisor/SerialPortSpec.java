package io.goldilocks.hypervisor;

/**
 * A virtio-serial port the guest sees by {@code name} (in {@code /sys/class/virtio-ports/*}/name) and the host
 * reaches through a Unix socket in the run directory ({@link VirtualMachine#serialPortSocket}).
 */
public record SerialPortSpec(String name) {
  public SerialPortSpec {
    VmConfig.requireToken(name, "serial port name");
  }
}
