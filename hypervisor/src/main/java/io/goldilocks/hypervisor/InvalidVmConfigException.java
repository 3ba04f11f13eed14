package io.goldilocks.hypervisor;

/** A VM configuration value is unusable (bad id, missing kernel, too little memory...). Code INVALID_ARGUMENT. */
public final class InvalidVmConfigException extends HypervisorException {
  public InvalidVmConfigException(String message) {
    super(Code.INVALID_ARGUMENT, message);
  }
}
