package io.goldilocks.hypervisor.qemu;

import io.goldilocks.hypervisor.Accelerator;
import java.util.ArrayList;
import java.util.List;

/**
 * The microvm machine, accelerator, CPUs and memory. With {@code sharedMemory} guest RAM is a shared memfd, which
 * vhost-user devices (virtio-fs) need; microvm's virtio-mmio must then be non-legacy, or virtiofsd refuses it.
 */
public record Machine(Accelerator.Kind accel, int vcpus, int memoryMib, boolean sharedMemory) implements QemuDevice {
  @Override
  public List<String> args() {
    List<String> args = new ArrayList<>();
    String machine = "microvm,accel=" + accel.name().toLowerCase() + (sharedMemory ? ",memory-backend=mem" : "");
    args.addAll(List.of("-M", machine, "-cpu", accel == Accelerator.Kind.KVM ? "host" : "qemu64"));
    args.addAll(List.of("-smp", Integer.toString(vcpus), "-m", memoryMib + "M"));
    if (sharedMemory) {
      args.addAll(List.of("-object", "memory-backend-memfd,id=mem,size=" + memoryMib + "M,share=on"));
      args.addAll(List.of("-global", "virtio-mmio.force-legacy=false"));
    }
    return args;
  }
}
