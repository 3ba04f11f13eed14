package io.goldilocks.hypervisor;

/** QEMU's run state as QMP {@code query-status} reports it. {@code qemuState} is QEMU's own name (e.g. "running"). */
public record VmStatus(boolean running, String qemuState) {}
