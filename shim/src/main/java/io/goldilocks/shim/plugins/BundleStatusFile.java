package io.goldilocks.shim.plugins;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The bundle listing a running shim keeps in its sandbox's runtime directory ({@code bundles.json}) for
 * {@code goldilocks bundles}: a JSON array of {@link BundleInfo}. Written atomically (temp file + rename) so a reader
 * never sees half a file. Stateless, thread-safe.
 */
public final class BundleStatusFile {
  /** The file is bounded: a listing larger than this is refused on read. */
  static final long MAX_BYTES = 4L << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private BundleStatusFile() {}

  public static void write(Path file, List<BundleInfo> bundles) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.createDirectories(file.toAbsolutePath().getParent());
    JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), bundles);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  public static List<BundleInfo> read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_BYTES) {
      throw new IOException(file + " is " + size + " bytes; a bundle listing is at most " + MAX_BYTES);
    }
    return JSON.readValue(file.toFile(), new TypeReference<List<BundleInfo>>() {});
  }
}
