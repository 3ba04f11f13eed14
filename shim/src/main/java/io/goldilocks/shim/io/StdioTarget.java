package io.goldilocks.shim.io;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What one of containerd's stdio strings names ({@code cmd/containerd-shim-runc-v2/process/io.go}): nothing (empty),
 * a FIFO (a plain path or {@code fifo://path}), a logging binary ({@code binary:///path?k=v}) or a log file
 * ({@code file:///path}). Immutable, thread-safe.
 */
public sealed interface StdioTarget {
  /** No stream. */
  record None() implements StdioTarget {}

  /** A FIFO containerd (or ctr, or CRI) created and opens its side of. */
  record Fifo(Path path) implements StdioTarget {}

  /** A logging binary: gets the streams on fd 3 and 4 and signals readiness by closing fd 5. */
  record Binary(Path path, List<String> args) implements StdioTarget {
    public Binary {
      args = List.copyOf(args);
    }
  }

  /** A file both streams are appended to. */
  record File(Path path) implements StdioTarget {}

  /** Parses one stdio string; {@link IllegalArgumentException} for an unknown scheme or a malformed URI. */
  static StdioTarget parse(String value) {
    if (value == null || value.isEmpty()) {
      return new None();
    }
    if (value.startsWith("/")) {
      return new Fifo(Path.of(value));
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("malformed stdio URI " + value + ": " + e.getMessage(), e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme();
    return switch (scheme) {
      case "fifo" -> new Fifo(Path.of(pathOf(uri, value)));
      case "binary" -> new Binary(Path.of(pathOf(uri, value)), queryArgs(uri.getRawQuery()));
      case "file" -> new File(Path.of(pathOf(uri, value)));
      default -> throw new IllegalArgumentException("unsupported stdio URI scheme \"" + scheme + "\" in " + value
          + " (want a FIFO path, fifo://, binary:// or file://)");
    };
  }

  private static String pathOf(URI uri, String value) {
    String path = uri.getPath();
    if (path == null || path.isEmpty()) {
      // fifo://relative or an opaque URI: take what follows the scheme
      String rest = value.substring(value.indexOf(':') + 1);
      path = rest.startsWith("//") ? rest.substring(2) : rest;
    }
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("stdio URI must name an absolute path: " + value);
    }
    return path;
  }

  /** {@code ?k1=v1&k2} → {@code [k1, v1, k2]}, as the runc shim turns the query into the logger's arguments. */
  private static List<String> queryArgs(String rawQuery) {
    List<String> args = new ArrayList<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return args;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      args.add(decode(eq < 0 ? pair : pair.substring(0, eq)));
      if (eq >= 0) {
        args.add(decode(pair.substring(eq + 1)));
      }
    }
    return args;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
