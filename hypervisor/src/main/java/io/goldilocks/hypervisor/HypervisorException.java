package io.goldilocks.hypervisor;

/**
 * Base of the hypervisor's small, fixed set of errors. {@link #code()} names the google.rpc code the shim maps it to
 * (same names as {@code io.goldilocks.ttrpc.Code}), so callers switch on the code, never on message text.
 */
public class HypervisorException extends Exception {
  /** The google.rpc codes this module raises; names match {@code io.goldilocks.ttrpc.Code}. */
  public enum Code { INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, DEADLINE_EXCEEDED, UNAVAILABLE, INTERNAL }

  private final Code code;

  public HypervisorException(Code code, String message) {
    super(message);
    this.code = code;
  }

  public HypervisorException(Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public Code code() {
    return code;
  }

  public static HypervisorException unavailable(String message, Throwable cause) {
    return new HypervisorException(Code.UNAVAILABLE, message, cause);
  }

  public static HypervisorException internal(String message, Throwable cause) {
    return new HypervisorException(Code.INTERNAL, message, cause);
  }
}
