package io.goldilocks.shim.launch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line containerd 1.6 gives a shim binary, parsed the way Go's {@code flag} package reads it.
 *
 * <p>{@code start}: {@code -namespace NS -address SOCK -publish-binary BIN -id ID [-debug] start};
 * {@code delete}: {@code ... -id ID -bundle DIR delete}. Our own {@code serve} action (the long-lived server that
 * {@code start} spawns) adds {@code -socket PATH}. Flags accept one or two dashes and {@code -name=value}.
 * Hand-parsed (no picocli) because {@code start} is on containerd's critical path and must load few classes.
 *
 * <p>Immutable, thread-safe.
 */
public record ShimFlags(
    String namespace,
    String address,
    String publishBinary,
    String id,
    Optional<Path> bundle,
    Optional<Path> socket,
    boolean debug,
    boolean version,
    String action,
    List<String> arguments) {

  /** Parses argv; throws {@link IllegalArgumentException} with a message meant for containerd's log. */
  public static ShimFlags parse(String[] argv) {
    String namespace = "";
    String address = "";
    String publishBinary = "";
    String id = "";
    Path bundle = null;
    Path socket = null;
    boolean debug = false;
    boolean version = false;
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < argv.length; i++) {
      String arg = argv[i];
      if (!positional.isEmpty() || !arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
        if (!arg.equals("--") || !positional.isEmpty()) {
          positional.add(arg);
        }
        continue;
      }
      String name = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
      String inline = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        inline = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      switch (name) {
        case "debug" -> debug = inline == null || Boolean.parseBoolean(inline);
        case "v", "version" -> version = true;
        case "namespace", "address", "publish-binary", "id", "bundle", "socket" -> {
          String value = inline;
          if (value == null) {
            if (i + 1 >= argv.length) {
              throw new IllegalArgumentException("flag needs an argument: -" + name);
            }
            value = argv[++i];
          }
          switch (name) {
            case "namespace" -> namespace = value;
            case "address" -> address = value;
            case "publish-binary" -> publishBinary = value;
            case "id" -> id = value;
            case "bundle" -> bundle = Path.of(value);
            default -> socket = Path.of(value);
          }
        }
        default -> throw new IllegalArgumentException("flag provided but not defined: -" + name);
      }
    }
    String action = positional.isEmpty() ? "" : positional.get(0);
    List<String> rest = positional.isEmpty() ? List.of() : List.copyOf(positional.subList(1, positional.size()));
    return new ShimFlags(namespace, address, publishBinary, id, Optional.ofNullable(bundle), Optional.ofNullable(socket), debug, version, action,
        rest);
  }

  /** Throws unless the flags every action needs are present. */
  public void requireIdentity() {
    if (namespace.isEmpty()) {
      throw new IllegalArgumentException("shim namespace cannot be empty (-namespace)");
    }
    if (id.isEmpty()) {
      throw new IllegalArgumentException("shim id cannot be empty (-id)");
    }
    if (address.isEmpty()) {
      throw new IllegalArgumentException("containerd address cannot be empty (-address)");
    }
  }
}
