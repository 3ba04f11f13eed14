package io.goldilocks.shim.plugins;

import java.util.Objects;

/**
 * One line of the plugin host's bundle listing (the {@code goldilocks bundles} CLI and error messages).
 *
 * @param id the framework's bundle id; -1 for a jar in the bundle directory that is not installed
 * @param symbolicName {@code Bundle-SymbolicName}, or the file name when the jar is not a bundle
 * @param version {@code Bundle-Version}; empty when unknown
 * @param state the bundle's state
 * @param kind infrastructure (shipped with the shim) or plugin (from the bundle directory)
 * @param location where the bundle came from (a {@code file:} URI or path)
 * @param lastError the last error the host saw for this bundle (resolution, start, component activation); empty
 *     when none
 */
public record BundleInfo(
    long id, String symbolicName, String version, State state, Kind kind, String location, String lastError) {

  /** A bundle's state as OSGi defines it, plus {@link #NOT_INSTALLED} for a jar the framework refused. */
  public enum State { INSTALLED, RESOLVED, STARTING, STOPPING, ACTIVE, UNINSTALLED, NOT_INSTALLED }

  /** Where a bundle comes from. */
  public enum Kind { INFRASTRUCTURE, PLUGIN }

  public BundleInfo {
    Objects.requireNonNull(symbolicName, "symbolicName");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(lastError, "lastError");
  }

  /** True when the bundle serves (ACTIVE) and no error was recorded for it. */
  public boolean healthy() {
    return state == State.ACTIVE && lastError.isEmpty();
  }

  /** {@code name version (STATE): error}, for error messages. */
  public String describe() {
    String base = symbolicName + (version.isEmpty() ? "" : " " + version) + " (" + state + ")";
    return lastError.isEmpty() ? base : base + ": " + lastError;
  }
}
