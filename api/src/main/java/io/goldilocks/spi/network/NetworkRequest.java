package io.goldilocks.spi.network;

import io.goldilocks.spi.SandboxContext;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A sandbox's network as the CNI plugins left it.
 *
 * @param sandbox the sandbox (VM)
 * @param netns the network namespace path from the sandbox's OCI spec ({@code linux.namespaces[type=network].path},
 *     e.g. {@code /var/run/netns/cni-1234}); empty when the sandbox has no namespace of its own
 */
public record NetworkRequest(SandboxContext sandbox, Optional<Path> netns) {
  public NetworkRequest {
    Objects.requireNonNull(sandbox, "sandbox");
    Objects.requireNonNull(netns, "netns");
  }
}
