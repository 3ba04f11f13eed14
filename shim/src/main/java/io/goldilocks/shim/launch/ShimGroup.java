package io.goldilocks.shim.launch;

import java.nio.file.Path;

/**
 * One shim server's identity: a containerd instance (its address), a namespace and a group (the sandbox id, which is
 * the container id of a plain {@code ctr run} container). Everything on disk that belongs to the group is derived
 * from it, so {@code delete} can find it with no server alive.
 *
 * <p>Immutable, thread-safe.
 */
public record ShimGroup(String containerdAddress, String namespace, String id) {
  /** Root of the per-VM runtime directories (architecture.md "Files on the host"). */
  public static final Path VM_RUN_ROOT = Path.of("/run/goldilocks/vm");

  /** The socket the group's shim server listens on. */
  public ShimAddress address() {
    return ShimAddress.of(containerdAddress, namespace, id);
  }

  /**
   * The group's VM runtime directory. A hash rather than the id: CRI sandbox ids are 64 characters and the sockets
   * inside must stay under the 108-byte {@code sun_path} limit; the namespace is in the hash so two namespaces may
   * reuse an id.
   */
  public Path vmRunDir() {
    return vmRunDir(VM_RUN_ROOT);
  }

  public Path vmRunDir(Path root) {
    return root.resolve(ShimAddress.sha256Hex(namespace + "/" + id).substring(0, 24));
  }
}
