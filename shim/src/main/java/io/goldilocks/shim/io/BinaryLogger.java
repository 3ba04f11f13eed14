package io.goldilocks.shim.io;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code binary://} logger, started as containerd's runc shim does: the logger gets the process's stdout on fd 3 and
 * stderr on fd 4, a "wait" pipe on fd 5 that it closes (or exits) once ready, and an environment of only
 * {@code CONTAINER_ID} and {@code CONTAINER_NAMESPACE}.
 *
 * <p>The JDK cannot hand a child extra file descriptors, so the pipes are named FIFOs in a private temp directory,
 * opened by a {@code bash} trampoline as fds 3/4/5 before it execs the logger; the directory is removed as soon as
 * both sides have them open. Our ends of the output FIFOs are opened O_RDWR (never blocks); closing them is the
 * logger's end of file.
 *
 * <p>Thread-safe.
 */
public final class BinaryLogger implements Closeable {
  /** How long the logger may take to signal readiness (runc's shim waits without a bound; we do not). */
  static final Duration READY_DEADLINE = Duration.ofSeconds(10);

  private final Process process;
  private final OutputStream stdout;
  private final OutputStream stderr;

  private BinaryLogger(Process process, OutputStream stdout, OutputStream stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** Starts the logger and waits until it is ready. */
  public static BinaryLogger start(StdioTarget.Binary target, String containerId, String ns) throws IOException {
    if (!Files.isExecutable(target.path())) {
      throw new IOException("logging binary " + target.path() + " is not an executable file");
    }
    Path dir = Files.createTempDirectory("goldilocks-logger-");
    List<Closeable> opened = new ArrayList<>();
    Process process = null;
    try {
      Path out = dir.resolve("out");
      Path err = dir.resolve("err");
      Path wait = dir.resolve("wait");
      mkfifo(out, err, wait);
      OutputStream stdout = Fifos.openReadWrite(out);
      opened.add(stdout);
      OutputStream stderr = Fifos.openReadWrite(err);
      opened.add(stderr);
      Fifos.LazyFifoInputStream ready = Fifos.openReader(wait);
      opened.add(ready);
      List<String> command = new ArrayList<>(List.of("/bin/bash", "-c",
          "exec 3<\"$1\" 4<\"$2\" 5>\"$3\" || exit 127; shift 3; exec \"$@\"", "logger-trampoline",
          out.toString(), err.toString(), wait.toString(), target.path().toString()));
      command.addAll(target.args());
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD);
      builder.environment().clear();
      builder.environment().put("CONTAINER_ID", containerId);
      builder.environment().put("CONTAINER_NAMESPACE", ns);
      process = builder.start();
      awaitReady(ready, process);
      ready.close();
      return new BinaryLogger(process, stdout, stderr);
    } catch (IOException | RuntimeException e) {
      for (Closeable c : opened) {
        c.close();
      }
      if (process != null) {
        process.destroyForcibly();
      }
      throw e;
    } finally {
      deleteQuietly(dir);
    }
  }

  private static void awaitReady(InputStream ready, Process process) throws IOException {
    Thread reader = Thread.currentThread();
    Thread timer = new Thread(() -> {
      try {
        if (!process.waitFor(READY_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
          ready.close();
        }
      } catch (InterruptedException | IOException ignored) {
        // the reader finished first
      }
    }, "logger-ready-timer");
    timer.setDaemon(true);
    timer.start();
    try {
      while (ready.read(new byte[64]) >= 0) {
        // the logger signals readiness by closing fd 5 (end of file); bytes, if any, are ignored
      }
    } catch (IOException e) {
      if (process.isAlive()) {
        throw new IOException("logging binary did not signal readiness within " + READY_DEADLINE, e);
      }
    } finally {
      timer.interrupt();
    }
    if (!process.isAlive() && process.exitValue() == 127) {
      throw new IOException("logging binary failed to start (exit 127)");
    }
  }

  private static void mkfifo(Path... fifos) throws IOException {
    List<String> command = new ArrayList<>(List.of("mkfifo", "-m", "600"));
    for (Path f : fifos) {
      command.add(f.toString());
    }
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] output = p.getInputStream().readNBytes(4096);
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException("mkfifo failed: " + new String(output, StandardCharsets.UTF_8).trim());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted in mkfifo", e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var entries = Files.list(dir)) {
      for (Path p : entries.toList()) {
        Files.deleteIfExists(p);
      }
      Files.deleteIfExists(dir);
    } catch (IOException ignored) {
      // a temp directory left behind holds only FIFOs; not worth failing the process for
    }
  }

  public OutputStream stdout() {
    return stdout;
  }

  public OutputStream stderr() {
    return stderr;
  }

  /** The logger process (it exits once both streams are closed). */
  public Process process() {
    return process;
  }

  /** Closes both streams (the logger's end of file); the logger then exits by itself. */
  @Override
  public void close() throws IOException {
    try {
      stdout.close();
    } finally {
      stderr.close();
    }
  }
}
