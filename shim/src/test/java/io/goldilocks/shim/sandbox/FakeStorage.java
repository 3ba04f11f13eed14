package io.goldilocks.shim.sandbox;

import io.goldilocks.spi.Mount;
import io.goldilocks.spi.storage.StoragePlan;
import io.goldilocks.spi.storage.VmStorage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A storage plugin stand-in for the sandbox layer's tests, which run without the plugin host: plans each container's
 * rootfs into the sandbox share under {@code fake/<id>/root} (deliberately not storage-virtiofs's layout, so a test
 * sees the sandbox follow the plan), plus whatever {@link #extra} adds. Tests of the real plugin path use the
 * storage-virtiofs bundle (GoldilocksCliRealVmTest, CtrRunTest). Thread-safe enough for tests (volatile hook).
 */
public final class FakeStorage implements ContainerStorage {
  /** Extra host mounts for a container, given the container and its directory in the share. */
  volatile BiFunction<ContainerConfig, Path, List<Mount>> extra = (c, dir) -> List.of();
  /** Extra VM storage the plan asks for. */
  volatile List<VmStorage> extraVmStorage = List.of();

  @Override
  public StoragePlan plan(SandboxConfig sandbox, ContainerConfig container) {
    Path shared = sandbox.sandboxDir().resolve("shared");
    Path dir = shared.resolve("fake").resolve(container.id());
    List<Mount> host = new ArrayList<>();
    host.add(Mount.bind(container.rootfs().toString(), dir.resolve("root").toString(), false));
    host.addAll(extra.apply(container, dir));
    List<VmStorage> vm = new ArrayList<>(List.of(new VmStorage.VirtioFsShare(RootfsShare.TAG, shared)));
    vm.addAll(extraVmStorage);
    return new StoragePlan(vm, host, List.of(new Mount("virtiofs", RootfsShare.TAG, RootfsShare.GUEST_MOUNT,
        List.of())), RootfsShare.GUEST_MOUNT + "/fake/" + container.id() + "/root", List.of());
  }
}
