package io.goldilocks.cli;

import io.goldilocks.shim.sandbox.GoldilocksConfig;
import io.goldilocks.shim.sandbox.GuestImage;
import io.goldilocks.ttrpc.TtrpcException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code goldilocks version}: our version, the JVM, and the guest image the CLI would boot. */
@Command(name = "version", mixinStandardHelpOptions = true,
    description = "Prints the version and the guest image in use.")
final class VersionCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    for (String line : new Provider().getVersion()) {
      System.out.println(line);
    }
    return 0;
  }

  /** Shared with {@code --version}. */
  static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      List<String> lines = new ArrayList<>();
      String version = GoldilocksCli.class.getPackage().getImplementationVersion();
      lines.add("goldilocks " + (version == null ? "(development build)" : version));
      lines.add("java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
      try {
        GuestImage image = GoldilocksConfig.load().guestImage();
        lines.add("guest kernel " + image.kernel() + (Files.isRegularFile(image.kernel()) ? "" : " (missing)"));
        lines.add("guest initrd " + image.initrd() + (Files.isRegularFile(image.initrd()) ? "" : " (missing)"));
        guestProperty(image.kernel().resolveSibling(GuestImage.PROPERTIES), "kernel.abi")
            .ifPresent(abi -> lines.add("guest kernel release " + abi));
      } catch (TtrpcException e) {
        lines.add("configuration error: " + e.getMessage());
      }
      return lines.toArray(String[]::new);
    }

    private static java.util.Optional<String> guestProperty(Path file, String key) {
      if (!Files.isRegularFile(file)) {
        return java.util.Optional.empty();
      }
      Properties p = new Properties();
      try (Reader in = Files.newBufferedReader(file)) {
        p.load(in);
      } catch (IOException e) {
        return java.util.Optional.empty();
      }
      return java.util.Optional.ofNullable(p.getProperty(key));
    }
  }
}
