package io.goldilocks.shim.launch;

import io.goldilocks.shim.plugins.NetworkRecord;
import io.goldilocks.shim.sandbox.GoldilocksConfig;
import io.goldilocks.shim.server.PluginHostSetup;
import io.goldilocks.ttrpc.TtrpcException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A sandbox network whose shim server died before tearing it down (see {@link NetworkRecord}): found on disk by
 * {@code delete}, torn down through the network plugin. Immutable.
 */
record NetworkLeftover(String sandboxId, Path sandboxDir, Path netns) {
  static Optional<NetworkLeftover> find(String sandboxId) {
    Path sandboxDir;
    try {
      sandboxDir = GoldilocksConfig.load().sandbox(sandboxId).build().sandboxDir();
    } catch (TtrpcException e) {
      return Optional.empty();
    }
    return NetworkRecord.read(sandboxDir).map(netns -> new NetworkLeftover(sandboxId, sandboxDir, netns));
  }

  void tearDown() {
    NetworkRecord.tearDown(sandboxId, sandboxDir, netns, () -> PluginHostSetup.config(System.getenv(), sandboxDir));
  }
}
