package io.goldilocks.shim.io;

/**
 * The stdio strings containerd sends with Create and Exec, as given. Immutable, thread-safe.
 *
 * @param stdin a FIFO path or empty
 * @param stdout a FIFO path, {@code fifo://}, {@code binary://}, {@code file://} URI, or empty
 * @param stderr like stdout (ignored for a binary or file target: both streams go to stdout's target)
 * @param terminal whether the process runs on a pseudo-terminal (its output all arrives on stdout)
 */
public record IoSpec(String stdin, String stdout, String stderr, boolean terminal) {
  public IoSpec {
    stdin = stdin == null ? "" : stdin;
    stdout = stdout == null ? "" : stdout;
    stderr = stderr == null ? "" : stderr;
  }

  public static IoSpec none() {
    return new IoSpec("", "", "", false);
  }
}
