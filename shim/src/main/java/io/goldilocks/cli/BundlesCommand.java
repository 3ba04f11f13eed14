package io.goldilocks.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.goldilocks.shim.plugins.BundleInfo;
import io.goldilocks.shim.plugins.BundleStatusFile;
import io.goldilocks.shim.plugins.PluginHostConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code goldilocks bundles [--sandbox ID]}: the plugin bundles of running sandboxes' shims, read from the listing
 * each shim's plugin host keeps in its sandbox runtime directory ({@code <run-root>/<sandbox-id>/bundles.json}).
 * Exit code 0 when listed, 1 when a named sandbox has no listing.
 */
@Command(name = "bundles", mixinStandardHelpOptions = true,
    description = "List the plugin bundles (name, version, state, last error) of running sandboxes' shims.")
public final class BundlesCommand implements Callable<Integer> {
  private static final int MAX_ERROR_COLUMN = 120;

  @Option(names = "--sandbox", paramLabel = "ID", description = "Only this sandbox (default: every running one).")
  String sandbox;

  @Option(names = "--run-root", paramLabel = "DIR", defaultValue = "/run/goldilocks/sandbox",
      description = "Directory of the sandboxes' runtime directories (default: ${DEFAULT-VALUE}).")
  Path runRoot;

  @Option(names = "--json", description = "Print JSON ({sandbox: [bundles]}) with errors in full.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Map<String, List<BundleInfo>> listings = new LinkedHashMap<>();
    if (sandbox != null) {
      if (!sandbox.matches("[A-Za-z0-9][A-Za-z0-9_.-]*") || sandbox.contains("..")) {
        err.println("invalid sandbox id '" + sandbox + "'");
        return 1;
      }
      Path file = runRoot.resolve(sandbox).resolve(PluginHostConfig.STATUS_FILE_NAME);
      if (!Files.isRegularFile(file)) {
        err.println("sandbox " + sandbox + " has no bundle listing at " + file + " (is its shim running?)");
        return 1;
      }
      listings.put(sandbox, BundleStatusFile.read(file));
    } else {
      for (Path file : statusFiles()) {
        listings.put(file.getParent().getFileName().toString(), BundleStatusFile.read(file));
      }
    }
    if (json) {
      out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(listings));
    } else {
      printTable(out, listings);
    }
    out.flush();
    return 0;
  }

  private List<Path> statusFiles() throws IOException {
    if (!Files.isDirectory(runRoot)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(runRoot)) {
      return dirs.map(d -> d.resolve(PluginHostConfig.STATUS_FILE_NAME)).filter(Files::isRegularFile).sorted()
          .toList();
    }
  }

  private static void printTable(PrintWriter out, Map<String, List<BundleInfo>> listings) {
    if (listings.isEmpty()) {
      out.println("no running sandbox has a bundle listing");
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"SANDBOX", "ID", "BUNDLE", "VERSION", "STATE", "KIND", "ERROR"});
    listings.forEach((id, bundles) -> bundles.forEach(b -> rows.add(new String[] {id,
        b.id() < 0 ? "-" : String.valueOf(b.id()), b.symbolicName(), b.version().isEmpty() ? "-" : b.version(),
        b.state().name(), b.kind().name().toLowerCase(), abbreviate(b.lastError())})));
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
      }
      out.println(line.toString().stripTrailing());
    }
  }

  private static String abbreviate(String error) {
    String oneLine = error.replaceAll("\\s+", " ");
    return oneLine.length() <= MAX_ERROR_COLUMN ? oneLine : oneLine.substring(0, MAX_ERROR_COLUMN - 3) + "...";
  }
}
