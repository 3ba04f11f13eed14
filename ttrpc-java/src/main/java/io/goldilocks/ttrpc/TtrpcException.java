package io.goldilocks.ttrpc;

import java.util.Objects;

/**
 * A failed ttrpc call, or a failure to be reported to the caller: a {@link Code} plus a message.
 *
 * <p>Servers throw it from handlers (the code and message reach the client unchanged); clients receive it for every
 * non-OK status. Callers decide by {@link #code()}, never by message text. Immutable after construction.
 */
public class TtrpcException extends Exception {
  private static final long serialVersionUID = 1L;

  private final Code code;

  public TtrpcException(Code code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  public TtrpcException(Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  public Code code() {
    return code;
  }

  @Override
  public String toString() {
    return "TtrpcException[" + code + "]: " + getMessage();
  }

  public static TtrpcException notFound(String fmt, Object... args) {
    return of(Code.NOT_FOUND, fmt, args);
  }

  public static TtrpcException alreadyExists(String fmt, Object... args) {
    return of(Code.ALREADY_EXISTS, fmt, args);
  }

  public static TtrpcException failedPrecondition(String fmt, Object... args) {
    return of(Code.FAILED_PRECONDITION, fmt, args);
  }

  public static TtrpcException invalidArgument(String fmt, Object... args) {
    return of(Code.INVALID_ARGUMENT, fmt, args);
  }

  public static TtrpcException unavailable(String fmt, Object... args) {
    return of(Code.UNAVAILABLE, fmt, args);
  }

  public static TtrpcException unimplemented(String fmt, Object... args) {
    return of(Code.UNIMPLEMENTED, fmt, args);
  }

  public static TtrpcException resourceExhausted(String fmt, Object... args) {
    return of(Code.RESOURCE_EXHAUSTED, fmt, args);
  }

  public static TtrpcException deadlineExceeded(String fmt, Object... args) {
    return of(Code.DEADLINE_EXCEEDED, fmt, args);
  }

  public static TtrpcException internal(String fmt, Object... args) {
    return of(Code.INTERNAL, fmt, args);
  }

  public static TtrpcException cancelled(String fmt, Object... args) {
    return of(Code.CANCELLED, fmt, args);
  }

  public static TtrpcException permissionDenied(String fmt, Object... args) {
    return of(Code.PERMISSION_DENIED, fmt, args);
  }

  public static TtrpcException unknown(String fmt, Object... args) {
    return of(Code.UNKNOWN, fmt, args);
  }

  private static TtrpcException of(Code code, String fmt, Object... args) {
    return new TtrpcException(code, args.length == 0 ? fmt : String.format(fmt, args));
  }
}
