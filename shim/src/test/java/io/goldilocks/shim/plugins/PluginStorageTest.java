package io.goldilocks.shim.plugins;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldilocks.shim.sandbox.ContainerConfig;
import io.goldilocks.shim.sandbox.GoldilocksConfig;
import io.goldilocks.shim.sandbox.SandboxConfig;
import io.goldilocks.shim.sandbox.Stdio;
import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginStorageTest {
  @TempDir Path tmp;

  @Test
  void withThePluginHostOffCreateFailsNamingTheStorageBundle() throws Exception {
    SandboxConfig sandbox = GoldilocksConfig.load(Map.of(), tmp).sandbox("s1").runtimeRoot(tmp.resolve("run"))
        .build();
    PluginStorage storage = new PluginStorage(SandboxPlugins.disabled("GOLDILOCKS_PLUGINS=off"), Map.of());

    assertThatThrownBy(() -> storage.plan(sandbox, new ContainerConfig("c1", "{}".getBytes(),
        tmp.resolve("bundle/rootfs"), false, Stdio.none())))
        .isInstanceOfSatisfying(TtrpcException.class, e -> org.assertj.core.api.Assertions.assertThat(e.code())
            .isEqualTo(Code.FAILED_PRECONDITION))
        .hasMessageContaining("container c1")
        .hasMessageContaining("goldilocks-storage-virtiofs")
        .hasMessageContaining("GOLDILOCKS_PLUGINS=off");
  }
}
