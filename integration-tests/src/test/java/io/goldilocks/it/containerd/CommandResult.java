package io.goldilocks.it.containerd;

import java.util.List;

/** What a finished command (ctr, umoci) printed and how it exited. Immutable. */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

  public boolean succeeded() {
    return exitCode == 0;
  }

  /** Returns this result, or throws with the command's output when it exited non-zero. */
  public CommandResult requireSuccess() {
    if (!succeeded()) {
      throw new IllegalStateException(describe());
    }
    return this;
  }

  /** The command, its exit code and both outputs: for failure messages. */
  public String describe() {
    return String.join(" ", command) + " exited " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
  }
}
