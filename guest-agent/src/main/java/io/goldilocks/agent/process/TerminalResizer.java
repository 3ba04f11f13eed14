package io.goldilocks.agent.process;

import io.goldilocks.ttrpc.TtrpcException;

/** Sets the window size of a process's terminal. Implementations are thread-safe. */
@FunctionalInterface
public interface TerminalResizer {
  void resize(int width, int height) throws TtrpcException;
}
