package io.goldilocks.shim.task;

import io.goldilocks.shim.io.IoSpec;

/**
 * What Exec asks for. Immutable, thread-safe (do not change the array after handing it over).
 *
 * @param containerId the container to run in
 * @param execId the new process's id
 * @param processJson the OCI {@code Process} object as JSON (the value of containerd's Any)
 * @param io the process's stdio
 */
public record ExecSpec(String containerId, String execId, byte[] processJson, IoSpec io) {}
