/**
 * The runtime core shared by the containerd shim and the {@code goldilocks} CLI: a {@link
 * io.goldilocks.shim.sandbox.Sandbox} is one guest VM, the {@code AgentClient} that talks to the guest agent inside it,
 * and the {@code RootfsShare} (a per-sandbox host directory shared into the guest with virtio-fs, tag {@code
 * goldilocks}, mounted at {@code /run/goldilocks/shared} in the guest). One sandbox hosts many containers (one VM per
 * Kubernetes pod).
 *
 * <p>Entry point: {@link io.goldilocks.shim.sandbox.SandboxFactory#boot(SandboxConfig)}. Every call that reaches into
 * the guest carries a deadline; every error is an {@link io.goldilocks.ttrpc.TtrpcException} with a meaningful
 * {@link io.goldilocks.ttrpc.Code} (NOT_FOUND for unknown container or exec ids, ALREADY_EXISTS for a duplicate id,
 * FAILED_PRECONDITION for a call the lifecycle does not allow, UNAVAILABLE once the sandbox is lost,
 * DEADLINE_EXCEEDED when the guest does not answer in time).
 */
package io.goldilocks.shim.sandbox;
