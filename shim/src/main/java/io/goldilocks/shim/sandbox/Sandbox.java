package io.goldilocks.shim.sandbox;

import io.goldilocks.ttrpc.TtrpcException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One guest VM with its agent connection and its rootfs share, hosting any number of containers. Obtained from
 * {@link SandboxFactory#boot(SandboxConfig)} in state {@link SandboxState#READY}. Thread-safe: every method may be
 * called from any thread, concurrently; calls for different processes do not wait for each other.
 *
 * <p>Container lifecycle: {@link #createContainer} (CREATED) → {@link #start} (RUNNING) ⇄ {@link #pause}/{@link
 * #resume} (PAUSED) → exit (STOPPED) → {@link #removeContainer}. Execs: {@link #exec} (CREATED) → {@link #start}
 * (RUNNING) → exit (STOPPED) → {@link #removeExec}. A call the lifecycle does not allow fails with
 * FAILED_PRECONDITION; an unknown container or exec id with NOT_FOUND; a duplicate id with ALREADY_EXISTS; bad input
 * with INVALID_ARGUMENT.
 *
 * <p>A watchdog checks the agent's health periodically under a deadline. When the agent stops answering or the VM
 * dies, the sandbox moves to {@link SandboxState#FAILED}: the VM is killed and everything cleaned up, every waiter
 * gets an {@link ExitStatus#lost lost} status (255), listeners get the exits and a {@link
 * SandboxEvent.SandboxFailed}, and later calls fail with UNAVAILABLE. Nothing hangs.
 */
public interface Sandbox extends AutoCloseable {
  /** The sandbox id (from {@link SandboxConfig#id()}). */
  String id();

  /** The current lifecycle state. */
  SandboxState state();

  /** Why the sandbox failed, once it is {@link SandboxState#FAILED}; empty otherwise. */
  Optional<TtrpcException> failure();

  /**
   * Creates a container: shares its rootfs into the guest and has the agent prepare its runc bundle. The init process
   * runs from {@link #start}; its stdio is attached now, so nothing it prints is lost. Its pid is 0 until started.
   *
   * @throws TtrpcException ALREADY_EXISTS for a container id in use, INVALID_ARGUMENT for a bad id, spec or rootfs,
   *     FAILED_PRECONDITION when the sandbox is not READY, or what the guest answered
   */
  void createContainer(ContainerConfig config) throws TtrpcException;

  /**
   * Adds an exec process to a running container, not started yet.
   *
   * @throws TtrpcException NOT_FOUND for an unknown container, ALREADY_EXISTS for an exec id in use,
   *     FAILED_PRECONDITION when the container is not RUNNING
   */
  void exec(ExecConfig config) throws TtrpcException;

  /**
   * Starts a container's init process or an exec process.
   *
   * @return its pid in the guest
   * @throws TtrpcException NOT_FOUND, FAILED_PRECONDITION when it is not CREATED
   */
  int start(ProcessRef process) throws TtrpcException;

  /** Starts a container's init process: {@code start(ProcessRef.init(containerId))}. */
  default int startContainer(String containerId) throws TtrpcException {
    return start(ProcessRef.init(containerId));
  }

  /**
   * Sends a signal to a process; with {@code all} (init only), to every process of the container.
   *
   * @throws TtrpcException NOT_FOUND, or FAILED_PRECONDITION when the process is not running (containerd's "process
   *     already finished" is NOT_FOUND, as runc's shim answers)
   */
  void signal(ProcessRef process, int signal, boolean all) throws TtrpcException;

  /**
   * Blocks until the process has exited and its stdout and stderr have reached their sinks. Returns at once for a
   * process that already exited. Returns {@link ExitStatus#lost} when the sandbox is lost first.
   *
   * @throws TtrpcException NOT_FOUND for an unknown process
   */
  ExitStatus waitProcess(ProcessRef process) throws TtrpcException, InterruptedException;

  /** A snapshot of a process's state. @throws TtrpcException NOT_FOUND */
  ProcessStatus status(ProcessRef process) throws TtrpcException;

  /** The processes running in a container. @throws TtrpcException NOT_FOUND */
  List<ProcessInfo> pids(String containerId) throws TtrpcException;

  /** Resource usage of a container. @throws TtrpcException NOT_FOUND */
  ContainerStats stats(String containerId) throws TtrpcException;

  /**
   * Changes a running container's resource limits.
   *
   * @param linuxResources an OCI {@code LinuxResources} object as JSON bytes (what containerd's {@code
   *     UpdateTaskRequest.resources} carries)
   * @throws TtrpcException NOT_FOUND, INVALID_ARGUMENT for malformed JSON, FAILED_PRECONDITION when not running
   */
  void update(String containerId, byte[] linuxResources) throws TtrpcException;

  /** Freezes every process of a running container. @throws TtrpcException NOT_FOUND, FAILED_PRECONDITION */
  void pause(String containerId) throws TtrpcException;

  /** Thaws a paused container. @throws TtrpcException NOT_FOUND, FAILED_PRECONDITION */
  void resume(String containerId) throws TtrpcException;

  /**
   * Sets the window size of a process's terminal.
   *
   * @throws TtrpcException NOT_FOUND, FAILED_PRECONDITION for a process without a terminal or not running
   */
  void resizeTty(ProcessRef process, int columns, int rows) throws TtrpcException;

  /**
   * Closes a process's stdin in the guest (after what was already read from {@link Stdio#stdin()} arrived), so it
   * reads end of file. Idempotent. @throws TtrpcException NOT_FOUND
   */
  void closeStdin(ProcessRef process) throws TtrpcException;

  /**
   * Deletes a stopped container (runc delete in the guest), unmounts its rootfs from the share and forgets it and
   * its execs.
   *
   * @return the init process's exit status
   * @throws TtrpcException NOT_FOUND, FAILED_PRECONDITION while its init process is RUNNING or PAUSED (a container
   *     created but never started is killed first, as runc delete does)
   */
  ExitStatus removeContainer(String containerId) throws TtrpcException;

  /**
   * Forgets a stopped exec process.
   *
   * @return its exit status
   * @throws TtrpcException NOT_FOUND, FAILED_PRECONDITION while it is running
   */
  ExitStatus removeExec(ProcessRef process) throws TtrpcException;

  /**
   * Registers a listener for this sandbox's events. Events are delivered in order, one at a time, on a thread of
   * the sandbox's (a slow listener delays later events, never the guest). A listener that throws is logged and kept.
   */
  EventSubscription subscribe(Consumer<SandboxEvent> listener);

  /**
   * Destroys the sandbox: kills every container, powers the VM off (killing it after a short grace period), stops
   * virtiofsd, unmounts every rootfs from the share and removes the runtime directory. Waiters get {@link
   * ExitStatus#lost} for processes still running. Idempotent; returns once nothing is left; never throws for a
   * sandbox that already failed.
   */
  void shutdown();

  /** Same as {@link #shutdown()}. */
  @Override
  default void close() {
    shutdown();
  }
}
