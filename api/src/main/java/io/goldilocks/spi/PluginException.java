package io.goldilocks.spi;

import java.util.Objects;

/**
 * The one checked exception a plugin throws. The {@link Reason} tells the shim how to report it to containerd
 * (each maps to one status code), so callers never look at the message text.
 */
public class PluginException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a plugin call failed. The shim maps each to a containerd (google.rpc) status code. */
  public enum Reason {
    /** The request is malformed (a bad mount, an unparsable CDI name): INVALID_ARGUMENT. */
    INVALID_ARGUMENT,
    /** The host cannot do what is asked (no IOMMU, device not found, netns gone): FAILED_PRECONDITION. */
    FAILED_PRECONDITION,
    /** The plugin does not handle this request: UNIMPLEMENTED. */
    UNSUPPORTED,
    /** A transient failure worth retrying: UNAVAILABLE. */
    UNAVAILABLE,
    /** A bug or an unexpected host failure (a command failed): INTERNAL. */
    INTERNAL
  }

  private final Reason reason;

  public PluginException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public PluginException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
