package io.goldilocks.shim.sandbox;

import io.goldilocks.spi.network.NetworkPlan;
import io.goldilocks.ttrpc.TtrpcException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How a sandbox gets its network: before the VM boots, {@link #attach} creates the host side (taps in the pod's
 * network namespace) and returns the plan; QEMU then runs in that namespace and the guest configures its NICs from
 * the plan. {@link #loopbackOnly()} is a sandbox without a network namespace: the guest has loopback only.
 * Implementations are thread-safe.
 */
public interface SandboxNetwork {
  /** The host side of one sandbox's network. Closing it removes the taps and filters (idempotent, never throws). */
  interface Attachment extends AutoCloseable {
    NetworkPlan plan();

    /** The namespace QEMU must run in (where the taps are), or empty. */
    Optional<Path> netns();

    @Override
    void close();
  }

  /**
   * Sets up the host side for {@code config}'s sandbox.
   *
   * @throws TtrpcException the plugin's error (it names the plugin or the bundle), partial changes undone
   */
  Attachment attach(SandboxConfig config) throws TtrpcException;

  /** No network namespace: no NIC, loopback only. */
  static SandboxNetwork loopbackOnly() {
    return config -> new Attachment() {
      @Override
      public NetworkPlan plan() {
        return NetworkPlan.loopbackOnly();
      }

      @Override
      public Optional<Path> netns() {
        return Optional.empty();
      }

      @Override
      public void close() {}
    };
  }
}
