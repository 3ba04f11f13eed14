package io.goldilocks.agent.sandbox;

import java.util.List;

/**
 * What CreateSandbox asks for, already bounds-checked by the RPC edge. Immutable.
 *
 * @param sandboxId containerd identifier of the pod sandbox
 * @param hostname the pod's hostname; "" keeps the guest's
 * @param dnsServers nameserver lines of resolv.conf
 * @param dnsSearches search domains
 * @param dnsOptions resolv.conf options (e.g. "ndots:5")
 * @param mounts mounted in order, unmounted in reverse by DestroySandbox
 */
public record SandboxConfig(String sandboxId, String hostname, List<String> dnsServers, List<String> dnsSearches,
    List<String> dnsOptions, List<GuestMount> mounts) {
  public SandboxConfig {
    dnsServers = List.copyOf(dnsServers);
    dnsSearches = List.copyOf(dnsSearches);
    dnsOptions = List.copyOf(dnsOptions);
    mounts = List.copyOf(mounts);
  }

  /** A filesystem the guest mounts for the whole sandbox, e.g. the virtio-fs share. Immutable. */
  public record GuestMount(String source, String target, String fstype, List<String> options) {
    public GuestMount {
      options = List.copyOf(options);
    }
  }
}
