package io.goldilocks.spi.network;

import io.goldilocks.spi.PluginException;

/**
 * Connects a sandbox's VM to the network namespace the CNI plugins prepared.
 *
 * <p>{@link #setup} runs once per sandbox before the VM starts; {@link #teardown} once when the sandbox goes away,
 * also after a failed or partial setup, and must be idempotent. The shim picks, among the {@code NetworkPlugin}
 * services whose {@link #supports} answers true, the one with the highest {@code service.ranking}.
 *
 * <p>Implementations must be thread-safe: several sandboxes are set up concurrently.
 */
public interface NetworkPlugin {
  /** A short, stable name for logs and errors, e.g. {@code tcfilter}. */
  String name();

  /** True when this plugin can connect {@code request}'s sandbox. Cheap, no changes to the host. */
  boolean supports(NetworkRequest request);

  /**
   * Creates the VM's network devices and describes the guest's network configuration. Without a network namespace
   * ({@link NetworkRequest#netns()} empty) the plan is {@link NetworkPlan#loopbackOnly()}: the guest gets
   * loopback only.
   *
   * @throws PluginException {@link PluginException.Reason#FAILED_PRECONDITION} when the namespace is gone or has no
   *     usable interface; {@link PluginException.Reason#INTERNAL} when a host command fails (partial changes undone)
   */
  NetworkPlan setup(NetworkRequest request) throws PluginException;

  /** Removes everything {@link #setup} created for {@code request}'s sandbox. Idempotent; absent pieces are fine. */
  void teardown(NetworkRequest request) throws PluginException;
}
