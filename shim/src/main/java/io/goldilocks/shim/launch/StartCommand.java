package io.goldilocks.shim.launch;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code containerd-shim-goldilocks-v2 start}: find or spawn the shim server of the container's group and print its
 * address (no newline) on stdout.
 *
 * <p>containerd blocks on this command and reads its combined stdout/stderr as the address, so it prints nothing else
 * on success, does no VM work, and the spawned server shares none of its file descriptors (new session via
 * {@code setsid}, stdio to /dev/null and a log file): containerd waits until every holder of the output pipe has closed
 * it.
 *
 * <p>Immutable; one run per process.
 */
public record StartCommand(ShimFlags flags, Path bundle, ServerLauncher launcher, Path socketDir) {
  /** How long the spawned server may take to listen (a cold JVM on a loaded 2-core machine). */
  static final Duration LISTEN_DEADLINE = Duration.ofSeconds(30);
  /** The file (in the bundle) that receives the spawned server's stdout/stderr: JVM crashes and early failures. */
  public static final String SERVER_OUTPUT = "shim.stdout.log";

  /** Runs start and returns the address to print. */
  public ShimAddress run() throws IOException, InterruptedException {
    flags.requireIdentity();
    String group = SpecAnnotations.groupOf(flags.id(), bundle);
    ShimAddress address = ShimAddress.in(socketDir, flags.address(), flags.namespace(), group);
    Files.createDirectories(socketDir);
    BundleFiles files = new BundleFiles(bundle);
    try (FileChannel lockFile = FileChannel.open(address.lockFile(), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
      if (canConnect(address.socket())) {
        files.write(BundleFiles.ADDRESS, address.uri());
        return address;
      }
      Files.deleteIfExists(address.socket());
      long pid = spawnAndAwait(group, address);
      files.write(BundleFiles.SHIM_PID, Long.toString(pid));
      files.write(BundleFiles.ADDRESS, address.uri());
      return address;
    }
  }

  private long spawnAndAwait(String group, ShimAddress address) throws IOException, InterruptedException {
    List<String> serverArgs = new ArrayList<>(List.of(
        "-namespace", flags.namespace(), "-address", flags.address(), "-publish-binary", flags.publishBinary(),
        "-id", group, "-bundle", bundle.toString(), "-socket", address.socket().toString()));
    if (flags.debug()) {
      serverArgs.add("-debug");
    }
    serverArgs.add("serve");
    List<String> command = new ArrayList<>(List.of("setsid"));
    command.addAll(launcher.command(serverArgs));
    Path output = bundle.resolve(SERVER_OUTPUT);
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(bundle.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
        .redirectErrorStream(true);
    Process server = builder.start();
    long deadline = System.nanoTime() + LISTEN_DEADLINE.toNanos();
    while (!canConnect(address.socket())) {
      if (!server.isAlive()) {
        throw new IOException("shim server exited with status " + server.exitValue() + " before listening: "
            + tail(output));
      }
      if (System.nanoTime() > deadline) {
        server.destroyForcibly();
        throw new IOException("shim server did not listen on " + address.socket() + " within " + LISTEN_DEADLINE
            + ": " + tail(output));
      }
      Thread.sleep(5);
    }
    return server.pid();
  }

  /** Whether a server accepts connections on {@code socket} (a socket file alone may be stale). */
  public static boolean canConnect(Path socket) {
    if (!Files.exists(socket)) {
      return false;
    }
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      return channel.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      return false;
    }
  }

  private static String tail(Path output) {
    try {
      byte[] bytes = Files.readAllBytes(output);
      int from = Math.max(0, bytes.length - 2000);
      return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  /** Prints the address exactly as containerd wants it: no newline. */
  public static void print(ShimAddress address, PrintStream out) {
    out.print(address.uri());
    out.flush();
  }
}
