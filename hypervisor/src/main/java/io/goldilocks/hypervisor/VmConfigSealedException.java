package io.goldilocks.hypervisor;

/**
 * A {@link VmConfig.Builder} was used after {@code build()}: configuration exists only before boot. Unchecked, like
 * any misuse of a builder; the shim maps it to FAILED_PRECONDITION.
 */
public final class VmConfigSealedException extends IllegalStateException {
  public VmConfigSealedException(String action) {
    super("VM config already built: cannot " + action);
  }
}
