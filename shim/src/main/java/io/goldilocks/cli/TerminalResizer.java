package io.goldilocks.cli;

import io.goldilocks.shim.sandbox.ProcessRef;
import io.goldilocks.shim.sandbox.Sandbox;
import io.goldilocks.ttrpc.TtrpcException;
import sun.misc.Signal;

/**
 * Keeps a guest terminal's size equal to ours: once at start, then on every SIGWINCH (through {@code sun.misc.Signal},
 * the JDK's only signal hook; where it is unavailable the size is set once). Thread-safe.
 */
final class TerminalResizer {
  private TerminalResizer() {}

  static void forward(Sandbox sandbox, ProcessRef process) {
    Runnable resize = () -> HostTerminal.size().ifPresent(size -> {
      try {
        sandbox.resizeTty(process, size[0], size[1]);
      } catch (TtrpcException e) {
        // the process ended or the sandbox went: nothing left to resize
      }
    });
    resize.run();
    try {
      Signal.handle(new Signal("WINCH"), signal -> new Thread(resize, "goldilocks-winch").start());
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      // no SIGWINCH here: the size stays what it was at start
    }
  }
}
