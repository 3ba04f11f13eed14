package io.goldilocks.shim.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldilocks.shim.events.EventOrdering;
import io.goldilocks.shim.events.RecordingEventPublisher;
import io.goldilocks.shim.events.TaskEvent;
import io.goldilocks.shim.io.IoSpec;
import io.goldilocks.shim.launch.BundleFiles;
import io.goldilocks.shim.sandbox.ExitStatus;
import io.goldilocks.shim.sandbox.ProcessRef;
import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Component tests of the task domain: real FIFOs and bundle files, a {@link FakeSandbox} instead of a VM. */
@Timeout(60)
class TaskManagerTest {
  @TempDir Path dir;
  private final FakeSandbox sandbox = new FakeSandbox("sb");
  private final RecordingEventPublisher events = new RecordingEventPublisher();
  private final AtomicInteger emptied = new AtomicInteger();
  private TaskManager tasks;
  private int boots;

  @BeforeEach
  void setUp() {
    SandboxHost host = new SandboxHost(config -> {
      boots++;
      return sandbox;
    }, () -> null, e -> tasks.onSandboxEvent(e));
    tasks = new TaskManager(host, new EventOrdering(events), "default", emptied::incrementAndGet);
  }

  private Path bundle(String id) throws Exception {
    Path bundle = Files.createDirectories(dir.resolve(id));
    Files.writeString(bundle.resolve("config.json"),
        "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"]},\"root\":{\"path\":\"rootfs\"}}");
    return bundle;
  }

  private Path fifo(String name) throws Exception {
    Path p = dir.resolve(name);
    assertThat(new ProcessBuilder("mkfifo", p.toString()).start().waitFor()).isZero();
    return p;
  }

  /** What ctr does with an output FIFO: read it to the end. */
  private static CompletableFuture<String> drain(Path fifo) {
    return CompletableFuture.supplyAsync(() -> {
      try (InputStream in = new FileInputStream(fifo.toFile())) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toString();
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
  }

  private void create(String id) throws Exception {
    tasks.create(new CreateConfig(id, bundle(id), List.of(), IoSpec.none()));
  }

  @Test
  void runsAContainerToItsEndWithEventsInContainerdsOrder() throws Exception {
    Path out = fifo("c1-stdout");
    Path err = fifo("c1-stderr");
    CompletableFuture<String> stdout = drain(out);
    CompletableFuture<String> stderr = drain(err);
    Path bundle = bundle("c1");
    tasks.create(new CreateConfig("c1", bundle, List.of(), new IoSpec("", out.toString(), err.toString(), false)));
    assertThat(tasks.state("c1", "").phase()).isEqualTo(ProcessPhase.CREATED);

    int pid = tasks.start("c1", "");
    sandbox.print(ProcessRef.init("c1"), "hello\n", false);
    sandbox.print(ProcessRef.init("c1"), "oops\n", true);
    sandbox.exit(ProcessRef.init("c1"), 42);
    ExitStatus exit = tasks.await("c1", "");

    assertThat(exit.code()).isEqualTo(42);
    assertThat(stdout.get(10, TimeUnit.SECONDS)).isEqualTo("hello\n");
    assertThat(stderr.get(10, TimeUnit.SECONDS)).isEqualTo("oops\n");
    sandbox.awaitEvents();
    ProcessView stopped = tasks.state("c1", "");
    assertThat(stopped.phase()).isEqualTo(ProcessPhase.STOPPED);
    assertThat(stopped.exit()).map(ExitStatus::code).contains(42);
    assertThat(new BundleFiles(bundle).read(BundleFiles.INIT_PID)).contains(Integer.toString(pid));
    assertThat(new BundleFiles(bundle).read(BundleFiles.EXIT_STATUS)).contains("42");

    TaskManager.DeleteResult deleted = tasks.delete("c1", "");
    assertThat(deleted.exitStatus()).isEqualTo(42);
    assertThat(events.topics()).containsExactly("/tasks/create", "/tasks/start", "/tasks/exit", "/tasks/delete");
    assertThat(emptied).hasValue(1);
    assertThat(boots).isEqualTo(1);
    assertThatThrownBy(() -> tasks.state("c1", "")).extracting(e -> ((TtrpcException) e).code())
        .isEqualTo(Code.NOT_FOUND);
  }

  @Test
  void anExitBeforeStartReturnsIsPublishedAfterTheStartEvent() throws Exception {
    create("fast");
    sandbox.exitOnStart(0);

    tasks.start("fast", "");
    sandbox.awaitEvents();

    assertThat(events.topics()).containsExactly("/tasks/create", "/tasks/start", "/tasks/exit");
    assertThat(tasks.state("fast", "").phase()).isEqualTo(ProcessPhase.STOPPED);
  }

  @Test
  void execsRunInTheContainerAndExitBeforeTheInitInEvents() throws Exception {
    create("c1");
    tasks.start("c1", "");
    tasks.exec(new ExecSpec("c1", "e1", "{\"args\":[\"sh\",\"-c\",\"exit 7\"]}".getBytes(), IoSpec.none()));
    assertThat(new String(sandbox.spec(ProcessRef.exec("c1", "e1")))).contains("exit 7");
    tasks.start("c1", "e1");
    sandbox.exit(ProcessRef.exec("c1", "e1"), 7);
    assertThat(tasks.await("c1", "e1").code()).isEqualTo(7);
    sandbox.awaitEvents();
    tasks.delete("c1", "e1");

    tasks.exec(new ExecSpec("c1", "e2", "{}".getBytes(), IoSpec.none()));
    tasks.start("c1", "e2");
    tasks.kill("c1", "", 9, true);
    sandbox.awaitEvents();

    List<TaskEvent.Exited> exits = events.ofType(TaskEvent.Exited.class);
    assertThat(exits).extracting(TaskEvent.Exited::execId).containsExactly("e1", "e2", "");
    assertThat(exits).extracting(TaskEvent.Exited::exitStatus).containsExactly(7, 137, 137);
    assertThat(events.topics()).containsSubsequence("/tasks/exec-added", "/tasks/exec-started", "/tasks/exit",
        "/tasks/delete");
  }

  @Test
  void refusesWhatTheLifecycleDoesNotAllowWithContainerdsCodes() throws Exception {
    create("c1");
    assertCode(() -> create("c1"), Code.ALREADY_EXISTS);
    assertCode(() -> tasks.start("nope", ""), Code.NOT_FOUND);
    assertCode(() -> tasks.state("c1", "nope"), Code.NOT_FOUND);
    assertCode(() -> tasks.pause("c1"), Code.FAILED_PRECONDITION);
    assertCode(() -> tasks.exec(new ExecSpec("c1", "e", "{}".getBytes(), IoSpec.none())), Code.FAILED_PRECONDITION);
    tasks.start("c1", "");
    assertCode(() -> tasks.start("c1", ""), Code.FAILED_PRECONDITION);
    assertCode(() -> tasks.delete("c1", ""), Code.FAILED_PRECONDITION);
    assertCode(() -> tasks.resume("c1"), Code.FAILED_PRECONDITION);
    sandbox.exit(ProcessRef.init("c1"), 0);
    sandbox.awaitEvents();
    assertCode(() -> tasks.kill("c1", "", 15, false), Code.NOT_FOUND);
  }

  @Test
  void pauseAndResumeMoveTheInitAndPublish() throws Exception {
    create("c1");
    tasks.start("c1", "");
    tasks.pause("c1");
    assertThat(tasks.state("c1", "").phase()).isEqualTo(ProcessPhase.PAUSED);
    tasks.resume("c1");
    assertThat(tasks.state("c1", "").phase()).isEqualTo(ProcessPhase.RUNNING);
    assertThat(events.topics()).endsWith("/tasks/paused", "/tasks/resumed");
  }

  @Test
  void aContainerDeletedBeforeStartIsKilledAndForgotten() throws Exception {
    create("c1");
    TaskManager.DeleteResult deleted = tasks.delete("c1", "");
    assertThat(deleted.exitStatus()).isEqualTo(137);
    assertThat(tasks.isEmpty()).isTrue();
    assertThat(emptied).hasValue(1);
  }

  @Test
  void stdinFromTheFifoReachesTheProcessAndCloseIoClosesIt() throws Exception {
    Path in = fifo("c1-stdin");
    tasks.create(new CreateConfig("c1", bundle("c1"), List.of(), new IoSpec(in.toString(), "", "", false)));
    tasks.start("c1", "");
    CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
      try {
        return sandbox.readStdin(ProcessRef.init("c1"));
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    try (OutputStream ctr = new FileOutputStream(in.toFile())) {
      ctr.write("piped input\n".getBytes());
    }
    tasks.closeStdin("c1", "");

    assertThat(read.get(10, TimeUnit.SECONDS)).asString().isEqualTo("piped input\n");
    assertThat(sandbox.calls).contains("closeStdin c1");
  }

  @Test
  void oomInTheGuestBecomesATaskOomEvent() throws Exception {
    create("c1");
    sandbox.oom("c1");
    sandbox.awaitEvents();
    assertThat(events.topics()).endsWith("/tasks/oom");
  }

  private interface Call {
    void run() throws Exception;
  }

  private static void assertCode(Call call, Code code) {
    assertThatThrownBy(call::run).isInstanceOf(TtrpcException.class)
        .extracting(e -> ((TtrpcException) e).code()).isEqualTo(code);
  }
}
