package io.goldilocks.agent.process;

import io.goldilocks.agent.json.Json;
import io.goldilocks.agent.json.JsonException;
import io.goldilocks.ttrpc.TtrpcException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Starts a container's processes through runc in the foreground and turns runc's exit into the process's exit
 * status. Start is a named recipe: clear the pid file, spawn runc with the process's stdio, wire stdio, wait until
 * runc wrote the pid file (started) or exited (failed to start), then watch for the exit.
 *
 * <p>Thread-safe (immutable; per-process state lives in {@link GuestProcess}).
 */
final class ProcessLauncher {
  /** The last this many bytes of runc's log are searched for its error message. */
  private static final int LOG_TAIL = 16 * 1024;

  private final Runc runc;
  private final BiConsumer<GuestProcess, ExitStatus> onExit;

  /**
   * @param onExit called once per started process with its exit status, which it must record (on a JDK
   *     process-reaper or pool thread; must not block)
   */
  ProcessLauncher(Runc runc, BiConsumer<GuestProcess, ExitStatus> onExit) {
    this.runc = runc;
    this.onExit = onExit;
  }

  /** Runs the container's init; returns its guest pid once started. */
  long startInit(Container c, Instant deadline) throws TtrpcException, InterruptedException {
    Path pidFile = c.bundle().resolve("init.pid");
    Path log = c.bundle().resolve("init.log");
    clear(pidFile, log);
    GuestProcess init = c.init();
    Pty pty = openTerminal(init);
    Process p = startOrClose(pty, () -> runc.startRun(c.id(), c.bundle(), pidFile, log, init.stdio(), pty));
    return awaitStarted(init, p, pty, pidFile, log, deadline);
  }

  /** Runs an exec of the container; returns its guest pid once started. */
  long startExec(Container c, GuestProcess exec, String processJson, Instant deadline)
      throws TtrpcException, InterruptedException {
    Path spec = c.bundle().resolve("exec-" + exec.execId() + ".json");
    Path pidFile = c.bundle().resolve("exec-" + exec.execId() + ".pid");
    Path log = c.bundle().resolve("exec-" + exec.execId() + ".log");
    clear(pidFile, log);
    write(spec, processJson);
    Pty pty = openTerminal(exec);
    Process p = startOrClose(pty, () -> runc.startExec(c.id(), c.bundle(), spec, pidFile, log, exec.stdio(), pty));
    return awaitStarted(exec, p, pty, pidFile, log, deadline);
  }

  /** The process's pty at its initial size, or null without a terminal. */
  private static Pty openTerminal(GuestProcess proc) throws TtrpcException {
    if (!proc.stdio().terminal()) {
      return null;
    }
    Pty pty = Pty.open();
    try {
      proc.openTerminal(pty::resize);
      return pty;
    } catch (TtrpcException | RuntimeException e) {
      pty.close();
      throw e;
    }
  }

  /** Spawns runc; closes the pty when even that fails (nobody else would). */
  private interface Spawn {
    Process start() throws TtrpcException;
  }

  private static Process startOrClose(Pty pty, Spawn spawn) throws TtrpcException {
    try {
      return spawn.start();
    } catch (TtrpcException | RuntimeException e) {
      if (pty != null) {
        pty.close();
      }
      throw e;
    }
  }

  private long awaitStarted(GuestProcess proc, Process p, Pty pty, Path pidFile, Path log, Instant deadline)
      throws TtrpcException, InterruptedException {
    proc.attach(p, pty);
    long pid;
    try {
      pid = awaitPid(proc, p, pidFile, log, deadline);
    } catch (TtrpcException | InterruptedException e) {
      p.destroyForcibly();
      proc.exited(new ExitStatus(statusOf(p), Instant.now()));
      throw e;
    }
    proc.started(pid);
    p.onExit().thenRun(() -> onExit.accept(proc, new ExitStatus(statusOf(p), Instant.now())));
    return pid;
  }

  /**
   * Polls for the pid file runc writes once the process runs. runc exiting first means the start failed; its log
   * says why.
   */
  private static long awaitPid(GuestProcess proc, Process p, Path pidFile, Path log, Instant deadline)
      throws TtrpcException, InterruptedException {
    long sleepMillis = 1;
    while (true) {
      boolean alive = p.isAlive();
      long pid = readPid(pidFile);
      if (pid > 0) {
        return pid;
      }
      if (!alive) {
        throw TtrpcException.failedPrecondition("%s failed to start: %s", proc.describe(), runcError(log,
            p.exitValue()));
      }
      if (Instant.now().isAfter(deadline)) {
        throw TtrpcException.deadlineExceeded("%s did not start before the deadline", proc.describe());
      }
      Thread.sleep(sleepMillis);
      sleepMillis = Math.min(20, sleepMillis * 2);
    }
  }

  private static long readPid(Path pidFile) throws TtrpcException {
    try {
      String text = Files.readString(pidFile, StandardCharsets.US_ASCII).strip();
      return text.isEmpty() ? 0 : Long.parseLong(text);
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException | NumberFormatException e) {
      throw TtrpcException.internal("unreadable pid file %s: %s", pidFile, e.getMessage());
    }
  }

  /** The message of runc's last error log entry, or a generic one with runc's exit code. */
  static String runcError(Path log, int exitCode) {
    String last = "runc exited with " + exitCode;
    try {
      byte[] all = Files.readAllBytes(log);
      int from = Math.max(0, all.length - LOG_TAIL);
      String tail = new String(all, from, all.length - from, StandardCharsets.UTF_8);
      for (String line : tail.split("\n")) {
        String msg = errorMessage(line);
        if (msg != null) {
          last = msg;
        }
      }
    } catch (IOException e) {
      // No log: runc failed before writing one.
    }
    return last;
  }

  private static String errorMessage(String line) {
    if (!line.startsWith("{")) {
      return null;
    }
    try {
      Map<String, Object> entry = Json.parseObject(line);
      return List.of("error", "fatal").contains(Json.string(entry, "level")) ? Json.string(entry, "msg") : null;
    } catch (JsonException e) {
      return null;
    }
  }

  private static int statusOf(Process p) {
    try {
      return p.waitFor() & 0xff;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 255;
    }
  }

  private static void clear(Path... files) throws TtrpcException {
    try {
      for (Path f : files) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      throw TtrpcException.internal("cannot prepare %s: %s", files[0].getParent(), e.getMessage());
    }
  }

  private static void write(Path file, String text) throws TtrpcException {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw TtrpcException.internal("cannot write %s: %s", file, e.getMessage());
    }
  }
}
