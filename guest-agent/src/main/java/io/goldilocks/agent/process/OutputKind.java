package io.goldilocks.agent.process;

/** The two output streams of a process. */
public enum OutputKind {
  STDOUT,
  STDERR
}
