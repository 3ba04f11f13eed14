package io.goldilocks.hypervisor;

import java.time.Duration;

/**
 * The caller's definition of "ready" (the shim: an agent health check over a serial port). Called repeatedly until
 * it returns true or the boot deadline passes; it must itself return within {@code timeLeft}. An exception counts
 * as "not yet" and is kept as the cause should the deadline pass.
 */
@FunctionalInterface
public interface ReadinessProbe {
  boolean isReady(VirtualMachine vm, Duration timeLeft) throws Exception;
}
