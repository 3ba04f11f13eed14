package io.goldilocks.shim.agent;

import java.time.Instant;

/**
 * A process's exit as the guest reported it: the exit code, or 128+n for signal n. Immutable.
 *
 * @param status 0..255 (checked)
 * @param exitedAt the guest's clock at the exit
 */
public record GuestExit(int status, Instant exitedAt) {}
