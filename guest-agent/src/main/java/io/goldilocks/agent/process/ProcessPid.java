package io.goldilocks.agent.process;

/** A guest pid of a container, and the exec it belongs to ("" for the init and its descendants). Immutable. */
public record ProcessPid(long pid, String execId) {}
