package io.goldilocks.agent.process;

/**
 * Which stdio streams of a process are connected to the host; an unconnected stream is /dev/null. With a terminal,
 * stdout carries the terminal's output and stderr is unused. Immutable.
 */
public record StdioConfig(boolean terminal, boolean stdin, boolean stdout, boolean stderr) {
  /** Nothing connected (e.g. a detached init). */
  public static StdioConfig none() {
    return new StdioConfig(false, false, false, false);
  }

  /** Whether the given output stream has a reader-facing buffer. */
  public boolean connected(OutputKind kind) {
    return kind == OutputKind.STDOUT ? stdout : stderr && !terminal;
  }
}
