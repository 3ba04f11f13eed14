package io.goldilocks.shim.task;

import io.goldilocks.shim.io.IoSpec;
import io.goldilocks.shim.sandbox.ExitStatus;
import java.nio.file.Path;
import java.util.Optional;

/** A snapshot of one process for containerd's State call. Immutable, thread-safe. */
public record ProcessView(String containerId, String execId, Path bundle, int pid, ProcessPhase phase, IoSpec io,
    Optional<ExitStatus> exit) {}
