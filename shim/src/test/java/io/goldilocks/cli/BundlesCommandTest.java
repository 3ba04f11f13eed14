package io.goldilocks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldilocks.shim.plugins.BundleInfo;
import io.goldilocks.shim.plugins.BundleInfo.Kind;
import io.goldilocks.shim.plugins.BundleInfo.State;
import io.goldilocks.shim.plugins.BundleStatusFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BundlesCommandTest {
  @TempDir Path runRoot;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void listsEverySandboxBundlesWithStateAndError() throws Exception {
    BundleStatusFile.write(runRoot.resolve("sb1/bundles.json"), List.of(
        new BundleInfo(5, "io.goldilocks.bundles.gpu", "0.1.0.SNAPSHOT", State.ACTIVE, Kind.PLUGIN,
            "file:/opt/goldilocks/bundles/goldilocks-gpu.jar", ""),
        new BundleInfo(-1, "broken.jar", "", State.NOT_INSTALLED, Kind.PLUGIN, "/opt/goldilocks/bundles/broken.jar",
            "not a readable jar: zip END header not found")));
    BundleStatusFile.write(runRoot.resolve("sb2/bundles.json"), List.of(
        new BundleInfo(3, "org.apache.felix.scr", "2.2.18", State.ACTIVE, Kind.INFRASTRUCTURE, "file:/x", "")));

    int exit = run("--run-root", runRoot.toString());

    assertThat(exit).isZero();
    assertThat(out.toString().lines()).containsExactly(
        "SANDBOX  ID  BUNDLE                     VERSION         STATE          KIND            ERROR",
        "sb1      5   io.goldilocks.bundles.gpu  0.1.0.SNAPSHOT  ACTIVE         plugin",
        "sb1      -   broken.jar                 -               NOT_INSTALLED  plugin          not a readable jar: zip END"
            + " header not found",
        "sb2      3   org.apache.felix.scr       2.2.18          ACTIVE         infrastructure");
  }

  @Test
  void oneSandboxAsJson() throws Exception {
    BundleStatusFile.write(runRoot.resolve("sb1/bundles.json"), List.of(new BundleInfo(5, "io.goldilocks.bundles.gpu",
        "0.1.0.SNAPSHOT", State.INSTALLED, Kind.PLUGIN, "file:/b/gpu.jar", "missing requirement x")));

    assertThat(run("--run-root", runRoot.toString(), "--sandbox", "sb1", "--json")).isZero();
    assertThat(out.toString()).contains("\"sb1\"").contains("\"lastError\" : \"missing requirement x\"");
  }

  @Test
  void sandboxWithoutListingIsAnErrorThatSaysWhere() {
    assertThat(run("--run-root", runRoot.toString(), "--sandbox", "nope")).isEqualTo(1);
    assertThat(err.toString()).contains("sandbox nope has no bundle listing at " + runRoot.resolve("nope/bundles.json"));
    assertThat(run("--run-root", runRoot.toString(), "--sandbox", "../etc")).isEqualTo(1);
  }

  private int run(String... args) {
    CommandLine cli = new CommandLine(new BundlesCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }
}
