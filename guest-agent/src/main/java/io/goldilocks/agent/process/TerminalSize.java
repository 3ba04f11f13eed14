package io.goldilocks.agent.process;

import io.goldilocks.ttrpc.TtrpcException;

/** A terminal's window size in character cells, each 1..65535 (what TIOCSWINSZ takes). Immutable. */
public record TerminalSize(int width, int height) {
  /**
   * Checks the dimensions.
   *
   * @throws TtrpcException INVALID_ARGUMENT when a dimension is out of range
   */
  public static TerminalSize of(int width, int height) throws TtrpcException {
    if (width < 1 || width > 65535 || height < 1 || height > 65535) {
      throw TtrpcException.invalidArgument("terminal size %dx%d is not in 1..65535", width, height);
    }
    return new TerminalSize(width, height);
  }
}
