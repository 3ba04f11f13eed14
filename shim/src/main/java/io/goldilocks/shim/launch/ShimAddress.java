package io.goldilocks.shim.launch;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where a shim server listens: {@code unix:///run/containerd/s/<sha256(containerdAddress + "/" + ns + "/" + group)>}.
 *
 * <p>The directory is hard-coded in containerd 1.6 (it does not follow the state dir), and the hash makes the
 * address derivable by any later {@code start} for the same group, which is how pod grouping finds its shim.
 *
 * <p>Immutable, thread-safe.
 */
public record ShimAddress(Path socket) {
  /** containerd's fixed shim socket directory. */
  public static final Path SOCKET_DIR = Path.of("/run/containerd/s");

  private static final String SCHEME = "unix://";

  /** The address of the shim serving {@code group} (a sandbox id) in namespace {@code ns}. */
  public static ShimAddress of(String containerdAddress, String ns, String group) {
    return in(SOCKET_DIR, containerdAddress, ns, group);
  }

  /** As {@link #of} in another directory (tests). */
  public static ShimAddress in(Path dir, String containerdAddress, String ns, String group) {
    return new ShimAddress(dir.resolve(sha256Hex(containerdAddress + "/" + ns + "/" + group)));
  }

  /** Parses {@code unix:///path} (or a bare path) as written in a bundle's {@code address} file. */
  public static ShimAddress parse(String uri) {
    String trimmed = uri.trim();
    if (trimmed.startsWith(SCHEME)) {
      trimmed = trimmed.substring(SCHEME.length());
    }
    if (trimmed.isEmpty() || !trimmed.startsWith("/")) {
      throw new IllegalArgumentException("not a unix socket address: " + uri);
    }
    return new ShimAddress(Path.of(trimmed));
  }

  /** The lock file next to the socket that serializes {@code start}s of the same group. */
  public Path lockFile() {
    return socket.resolveSibling(socket.getFileName() + ".lock");
  }

  /** The form containerd reads from {@code start}'s stdout. */
  public String uri() {
    return SCHEME + socket;
  }

  @Override
  public String toString() {
    return uri();
  }

  static String sha256Hex(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
