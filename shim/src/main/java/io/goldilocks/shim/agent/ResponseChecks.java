package io.goldilocks.shim.agent;

import com.google.protobuf.Timestamp;
import io.goldilocks.ttrpc.TtrpcException;
import java.time.Instant;
import java.util.Collection;
import java.util.regex.Pattern;

/**
 * Checks of what the guest sends, against the bounds agent.proto documents. The guest is untrusted: anything out of
 * bounds is a lying agent, reported as INTERNAL "agent sent ...". Thread-safe (stateless).
 */
final class ResponseChecks {
  static final int CHUNK_MAX = 64 * 1024;
  static final int PIDS_MAX = 65536;
  static final int IO_MAX = 256;
  static final int VERSION_MAX = 64;
  static final int KERNEL_RELEASE_MAX = 256;
  static final int ID_MAX = 76;
  /** Linux's PID_MAX_LIMIT (2^22). */
  static final long PID_MAX = 1 << 22;
  /** Year 9999: timestamps beyond are nonsense. */
  private static final long SECONDS_MAX = 253402300799L;
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*");

  private ResponseChecks() {}

  static TtrpcException lie(String fmt, Object... args) {
    return TtrpcException.internal("agent sent " + fmt, args);
  }

  /** A pid of a started process: 1..2^22. */
  static int pid(String what, int pid) throws TtrpcException {
    if (pid <= 0 || pid > PID_MAX) {
      throw lie("%s pid %d", what, Integer.toUnsignedLong(pid));
    }
    return pid;
  }

  /** A pid in an exit event: 0 for an init killed before it ever started, else as {@link #pid}. */
  static int pidOrZero(String what, int pid) throws TtrpcException {
    return pid == 0 ? 0 : pid(what, pid);
  }

  static GuestExit exit(String what, int status, boolean hasTime, Timestamp at) throws TtrpcException {
    if (status < 0 || status > 255) {
      throw lie("exit status %d for %s (not 0..255)", Integer.toUnsignedLong(status), what);
    }
    return new GuestExit(status, timestamp(what, hasTime, at));
  }

  static Instant timestamp(String what, boolean present, Timestamp t) throws TtrpcException {
    if (!present) {
      throw lie("no exit time for %s", what);
    }
    if (t.getSeconds() < 0 || t.getSeconds() > SECONDS_MAX || t.getNanos() < 0 || t.getNanos() > 999_999_999) {
      throw lie("an impossible exit time for %s", what);
    }
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  static int chunk(String what, int size) throws TtrpcException {
    if (size < 1 || size > CHUNK_MAX) {
      throw lie("a %s chunk of %d bytes (allowed 1..%d)", what, size, CHUNK_MAX);
    }
    return size;
  }

  static String text(String what, String value, int max) throws TtrpcException {
    if (value.length() > max) {
      throw lie("a %s of %d characters (max %d)", what, value.length(), max);
    }
    return value;
  }

  static void count(String what, Collection<?> values, int max) throws TtrpcException {
    if (values.size() > max) {
      throw lie("%d %s (max %d)", values.size(), what, max);
    }
  }

  /** A well-formed identifier ("" allowed when {@code emptyOk}), else a lie. */
  static String id(String what, String value, boolean emptyOk) throws TtrpcException {
    if (value.isEmpty() && emptyOk) {
      return value;
    }
    if (value.length() > ID_MAX || !IDENTIFIER.matcher(value).matches()) {
      throw lie("a malformed %s", what);
    }
    return value;
  }
}
