package io.goldilocks.hypervisor.qemu;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A helper process (QEMU, virtiofsd) in its own session and process group ({@code setsid} execs it in place, so
 * its pid is its group id), with stdin from /dev/null and stdout+stderr to a log file — nothing inherited from our
 * process. Its pid file is written as soon as it runs. Thread-safe.
 */
final class ChildProcess {
  static final Path SETSID = Path.of("/usr/bin/setsid");

  private final String name;
  private final Process process;

  private ChildProcess(String name, Process process) {
    this.name = name;
    this.process = process;
  }

  static ChildProcess start(String name, List<String> argv, Path log, Path pidFile) throws IOException {
    List<String> command = new ArrayList<>(List.of(SETSID.toString()));
    command.addAll(argv);
    Process process = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectErrorStream(true)
        .start();
    ChildProcess child = new ChildProcess(name, process);
    try {
      PidFile.of(process.pid()).write(pidFile);
    } catch (IOException e) {
      child.killGroup();
      child.awaitExit(Duration.ofSeconds(5));
      throw e;
    }
    return child;
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  CompletableFuture<Process> onExit() {
    return process.onExit();
  }

  /** Exit status; 128+signal when a signal ended it (the JDK's convention); -1 while it runs. */
  int exitCode() {
    return process.isAlive() ? -1 : process.exitValue();
  }

  /** SIGKILL to the whole process group (the helper and anything it forked). */
  void killGroup() {
    ProcessGroups.kill(process.pid());
    process.destroyForcibly();
  }

  boolean awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  @Override
  public String toString() {
    return name + "[" + process.pid() + "]";
  }
}
