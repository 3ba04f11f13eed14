package io.goldilocks.shim.launch;

/**
 * One shim server's identity: a containerd instance (its address), a namespace and a group (the sandbox id, which is
 * the container id of a plain {@code ctr run} container). Everything on disk that belongs to the group is derived
 * from it, so {@code delete} can find it with no server alive.
 *
 * <p>Immutable, thread-safe.
 */
public record ShimGroup(String containerdAddress, String namespace, String id) {
  /** The socket the group's shim server listens on. */
  public ShimAddress address() {
    return ShimAddress.of(containerdAddress, namespace, id);
  }

  /**
   * The id of the group's {@code Sandbox} (its VM and runtime directories): a hash rather than the group id, because
   * a sandbox id is at most 64 characters (CRI sandbox ids alone are 64) and two namespaces may reuse an id.
   */
  public String sandboxId() {
    return "gl-" + ShimAddress.sha256Hex(namespace + "/" + id).substring(0, 24);
  }
}
