package io.goldilocks.shim;

import io.goldilocks.shim.launch.DeleteCommand;
import io.goldilocks.shim.launch.DeleteResponseWriter;
import io.goldilocks.shim.launch.ServerLauncher;
import io.goldilocks.shim.launch.ShimAddress;
import io.goldilocks.shim.launch.ShimFlags;
import io.goldilocks.shim.launch.ShimGroup;
import io.goldilocks.shim.launch.StartCommand;
import io.goldilocks.shim.sandbox.GoldilocksConfig;
import io.goldilocks.shim.sandbox.SandboxLeftovers;
import io.goldilocks.ttrpc.TtrpcException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code containerd-shim-goldilocks-v2}: the binary containerd runs as {@code start}, {@code delete}, and our own
 * {@code serve} (the long-lived ttrpc server that {@code start} spawns).
 *
 * <p>{@code start} and {@code delete} run on paths containerd waits for: they load only the {@code launch} package
 * (and, for serve, the server classes are first touched in that branch). Their stdout is protocol: the address for
 * start, a protobuf {@code DeleteResponse} for delete; errors go to stderr and a non-zero exit.
 */
public final class ShimMain {
  /** The runtime name containerd knows us by. */
  public static final String RUNTIME = "io.containerd.goldilocks.v2";
  public static final String VERSION = "0.1.0";

  private ShimMain() {}

  public static void main(String[] argv) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    int status;
    try {
      status = run(argv, out);
    } catch (Throwable e) {
      err.print("containerd-shim-goldilocks-v2: " + describe(e));
      err.flush();
      status = 1;
    }
    out.flush();
    if (status >= 0) {
      System.exit(status);
    }
  }

  /** Runs one action; a negative result means "keep running" (the server owns the process's exit). */
  static int run(String[] argv, PrintStream out) throws Exception {
    ShimFlags flags = ShimFlags.parse(argv);
    if (flags.version()) {
      out.println("containerd-shim-goldilocks-v2:");
      out.println("  Version: " + VERSION);
      out.println("  Runtime: " + RUNTIME);
      return 0;
    }
    Path cwd = Path.of("").toAbsolutePath();
    switch (flags.action()) {
      case "start" -> {
        ShimAddress address = new StartCommand(flags, cwd, ServerLauncher.fromEnvironment(), ShimAddress.SOCKET_DIR)
            .run();
        StartCommand.print(address, out);
        return 0;
      }
      case "delete" -> {
        DeleteCommand.Outcome outcome = new DeleteCommand(flags, flags.bundle().orElse(cwd),
            ShimMain::cleanSandbox, ShimAddress.SOCKET_DIR).run();
        out.write(DeleteResponseWriter.encode(outcome));
        return 0;
      }
      case "serve" -> {
        io.goldilocks.shim.server.ShimServerMain.serve(flags);
        return -1;
      }
      default -> throw new IllegalArgumentException(
          "unknown action \"" + flags.action() + "\" (want start, delete or serve)");
    }
  }

  /** Removes what the group's sandbox left on disk, under the runtime root its server used (same config). */
  private static void cleanSandbox(ShimGroup group) throws TtrpcException {
    Path runtimeRoot = GoldilocksConfig.load().sandbox(group.sandboxId()).build().runtimeRoot();
    SandboxLeftovers.cleanUp(runtimeRoot, group.sandboxId());
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null ? e.toString() : message;
  }
}
