package io.goldilocks.agent.process;

import io.goldilocks.agent.json.Json;
import io.goldilocks.agent.json.JsonException;
import io.goldilocks.ttrpc.TtrpcException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The runc command line: how the agent starts and controls containers. OCI semantics are runc's; this class only
 * builds argument lists and classifies failures. Thread-safe (immutable).
 *
 * <p>Init and exec processes run in the foreground ({@code runc run} / {@code runc exec} without --detach): runc
 * hands its own stdio to the container process when there is no terminal, stays the parent, reaps it, and exits
 * with its status (128+n for signal n). The agent only ever reaps runc (the JDK does that).
 */
public final class Runc {
  private static final Duration SHORT_COMMAND = Duration.ofSeconds(60);

  private final String binary;
  private final Path root;
  private final CommandRunner commands;

  /**
   * @param binary the runc executable (a path or a name on PATH)
   * @param root runc's state directory ({@code --root}); the guest uses /run/runc, tests a temp dir
   */
  public Runc(String binary, Path root, CommandRunner commands) {
    this.binary = binary;
    this.root = root;
    this.commands = commands;
  }

  public Path root() {
    return root;
  }

  /**
   * Starts {@code runc run} for a bundle in the foreground with the given stdio; with a terminal ({@code pty} not
   * null) runc runs on that pty's slave.
   */
  public Process startRun(String id, Path bundle, Path pidFile, Path log, StdioConfig stdio, Pty pty)
      throws TtrpcException {
    List<String> cmd = base(log);
    cmd.addAll(List.of("run", "--bundle", bundle.toString(), "--pid-file", pidFile.toString(), id));
    return pty == null ? start(cmd, stdio, bundle) : startOnTerminal(cmd, pty, bundle);
  }

  /** Starts {@code runc exec} of a process spec in the foreground, like {@link #startRun}. */
  public Process startExec(String id, Path bundle, Path processJson, Path pidFile, Path log, StdioConfig stdio,
      Pty pty) throws TtrpcException {
    List<String> cmd = base(log);
    cmd.addAll(List.of("exec", "--process", processJson.toString(), "--pid-file", pidFile.toString(), id));
    return pty == null ? start(cmd, stdio, bundle) : startOnTerminal(cmd, pty, bundle);
  }

  /** {@code runc kill [--all] id signal}. */
  public void kill(String id, int signal, boolean all) throws TtrpcException {
    List<String> cmd = base(null);
    cmd.add("kill");
    if (all) {
      cmd.add("--all");
    }
    cmd.add(id);
    cmd.add(Integer.toString(signal));
    commands.runChecked(cmd, null, SHORT_COMMAND);
  }

  /** {@code runc pause id}. */
  public void pause(String id) throws TtrpcException {
    commands.runChecked(with(base(null), "pause", id), null, SHORT_COMMAND);
  }

  /** {@code runc resume id}. */
  public void resume(String id) throws TtrpcException {
    commands.runChecked(with(base(null), "resume", id), null, SHORT_COMMAND);
  }

  /** {@code runc update --resources - id} with the LinuxResources JSON on stdin. */
  public void update(String id, byte[] resourcesJson) throws TtrpcException {
    commands.runChecked(with(base(null), "update", "--resources", "-", id), resourcesJson, SHORT_COMMAND);
  }

  /** {@code runc delete --force id}; a container runc does not know is not an error (already gone). */
  public void deleteForce(String id) throws TtrpcException {
    if (!exists(id)) {
      return;
    }
    commands.runChecked(with(base(null), "delete", "--force", id), null, SHORT_COMMAND);
  }

  /** Whether runc has state for {@code id} (its state directory exists). */
  public boolean exists(String id) {
    return root.resolve(id).toFile().isDirectory();
  }

  /** {@code runc ps --format json id}: every pid in the container's cgroup. */
  public List<Long> ps(String id) throws TtrpcException {
    CommandRunner.Result r = commands.runChecked(with(base(null), "ps", "--format", "json", id), null,
        SHORT_COMMAND);
    try {
      Object parsed = Json.parse(r.stdout().isBlank() ? "[]" : r.stdout().strip());
      List<Long> pids = new ArrayList<>();
      if (parsed instanceof List) {
        for (Object o : (List<?>) parsed) {
          if (o instanceof Number) {
            pids.add(((Number) o).longValue());
          }
        }
      }
      return pids;
    } catch (JsonException e) {
      throw TtrpcException.internal("runc ps printed no JSON array: %s", e.getMessage());
    }
  }

  private List<String> base(Path log) {
    List<String> cmd = new ArrayList<>(List.of(binary, "--root", root.toString()));
    if (log != null) {
      cmd.addAll(List.of("--log", log.toString(), "--log-format", "json"));
    }
    return cmd;
  }

  private static List<String> with(List<String> cmd, String... more) {
    cmd.addAll(List.of(more));
    return cmd;
  }

  /**
   * runc's foreground terminal mode needs a controlling terminal: {@code sh} opens the pty slave as stdio (in the
   * child, so the agent never opens a tty that could become its own controlling terminal), then {@code setsid -c}
   * starts a new session with that slave as controlling terminal and execs runc. Each step execs, so the agent's
   * child is runc itself and its exit status is the container process's.
   */
  private static Process startOnTerminal(List<String> runcCmd, Pty pty, Path workDir) throws TtrpcException {
    List<String> cmd = new ArrayList<>(List.of("sh", "-c",
        "tty=$1; shift; exec setsid -c \"$@\" <\"$tty\" >\"$tty\" 2>&1", "sh", pty.slavePath()));
    cmd.addAll(runcCmd);
    return start(cmd, StdioConfig.none(), workDir);
  }

  private static Process start(List<String> cmd, StdioConfig stdio, Path workDir) throws TtrpcException {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
    pb.redirectInput(stdio.stdin() ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.from(new File(
        "/dev/null")));
    pb.redirectOutput(stdio.stdout() ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.DISCARD);
    pb.redirectError(stdio.connected(OutputKind.STDERR) ? ProcessBuilder.Redirect.PIPE
        : ProcessBuilder.Redirect.DISCARD);
    try {
      return pb.start();
    } catch (IOException e) {
      throw TtrpcException.internal("cannot start runc: %s", e.getMessage());
    }
  }
}
