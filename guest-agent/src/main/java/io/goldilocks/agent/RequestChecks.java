package io.goldilocks.agent;

import com.google.protobuf.ByteString;
import io.goldilocks.ttrpc.TtrpcException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The bounds agent.proto documents, checked on every request field before the domain sees it: a bad shape is
 * INVALID_ARGUMENT, too large or too many is RESOURCE_EXHAUSTED. Thread-safe (stateless).
 */
final class RequestChecks {
  static final int ID_MAX = 76;
  static final int SPEC_MAX = 1 << 20;
  static final int PROCESS_MAX = 256 << 10;
  static final int RESOURCES_MAX = 64 << 10;
  static final int PATH_MAX = 4096;
  static final int CHUNK_MAX = 64 << 10;
  static final int HOSTNAME_MAX = 64;
  static final int DNS_SERVERS_MAX = 3;
  static final int DNS_SEARCHES_MAX = 6;
  static final int DNS_OPTIONS_MAX = 16;
  static final int MOUNTS_MAX = 16;
  static final int MOUNT_OPTIONS_MAX = 32;
  static final List<String> MOUNT_TYPES = List.of("virtiofs", "tmpfs", "9p", "bind");

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*");
  private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");
  private static final Pattern PLAIN = Pattern.compile("[\\x21-\\x7e]+"); // printable, no spaces

  private RequestChecks() {}

  /** A containerd identifier (container, exec, sandbox id). */
  static String id(String what, String value) throws TtrpcException {
    if (value.length() > ID_MAX) {
      throw TtrpcException.resourceExhausted("%s is %d characters; max %d", what, value.length(), ID_MAX);
    }
    if (!IDENTIFIER.matcher(value).matches()) {
      throw TtrpcException.invalidArgument("%s \"%s\" is not a valid identifier", what, value);
    }
    return value;
  }

  /** An exec id where "" means the init process. */
  static String execIdOrInit(String value) throws TtrpcException {
    return value.isEmpty() ? value : id("exec_id", value);
  }

  /** A bytes field of at most {@code max} bytes, decoded as UTF-8 JSON text; empty is INVALID_ARGUMENT. */
  static String json(String what, ByteString value, int max) throws TtrpcException {
    if (value.size() > max) {
      throw TtrpcException.resourceExhausted("%s is %d bytes; max %d", what, value.size(), max);
    }
    if (value.isEmpty()) {
      throw TtrpcException.invalidArgument("%s is empty", what);
    }
    if (!value.isValidUtf8()) {
      throw TtrpcException.invalidArgument("%s is not UTF-8", what);
    }
    return value.toStringUtf8();
  }

  /** A bytes field of at most {@code max} bytes. */
  static ByteString bytes(String what, ByteString value, int max) throws TtrpcException {
    if (value.size() > max) {
      throw TtrpcException.resourceExhausted("%s is %d bytes; max %d", what, value.size(), max);
    }
    return value;
  }

  /** A string of at most {@code max} bytes (UTF-8). */
  static String text(String what, String value, int max) throws TtrpcException {
    int bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (bytes > max) {
      throw TtrpcException.resourceExhausted("%s is %d bytes; max %d", what, bytes, max);
    }
    return value;
  }

  /** A printable token without spaces (DNS server, search domain, option, mount source/option). */
  static String token(String what, String value, int max) throws TtrpcException {
    text(what, value, max);
    if (!PLAIN.matcher(value).matches()) {
      throw TtrpcException.invalidArgument("%s \"%s\" must be printable ASCII without spaces or commas", what,
          value);
    }
    if (value.indexOf(',') >= 0) {
      throw TtrpcException.invalidArgument("%s \"%s\" must not contain a comma", what, value);
    }
    return value;
  }

  /** "" or an RFC 1123 host name of at most 64 characters. */
  static String hostname(String value) throws TtrpcException {
    text("hostname", value, HOSTNAME_MAX);
    if (!value.isEmpty() && !HOSTNAME.matcher(value).matches()) {
      throw TtrpcException.invalidArgument("hostname \"%s\" is not a valid host name", value);
    }
    return value;
  }

  /** An absolute, normalized guest path. */
  static Path absolutePath(String what, String value) throws TtrpcException {
    text(what, value, PATH_MAX);
    if (!value.startsWith("/") || value.indexOf('\0') >= 0) {
      throw TtrpcException.invalidArgument("%s \"%s\" is not an absolute path", what, value);
    }
    Path p = Path.of(value);
    if (!p.normalize().toString().equals(value) && !(value.length() > 1 && value.endsWith("/")
        && p.normalize().toString().equals(value.substring(0, value.length() - 1)))) {
      throw TtrpcException.invalidArgument("%s \"%s\" is not normalized", what, value);
    }
    return p;
  }

  /** A repeated field of at most {@code max} entries. */
  static <T> List<T> count(String what, List<T> values, int max) throws TtrpcException {
    if (values.size() > max) {
      throw TtrpcException.resourceExhausted("%s has %d entries; max %d", what, values.size(), max);
    }
    return values;
  }

  /** A signal number, 1..64. */
  static int signal(int value) throws TtrpcException {
    if (value < 1 || value > 64) {
      throw TtrpcException.invalidArgument("signal %d is not in 1..64", Integer.toUnsignedLong(value));
    }
    return value;
  }

  /** A terminal dimension, 1..65535. */
  static int dimension(String what, int value) throws TtrpcException {
    if (value < 1 || value > 65535) {
      throw TtrpcException.invalidArgument("%s %d is not in 1..65535", what, Integer.toUnsignedLong(value));
    }
    return value;
  }
}
