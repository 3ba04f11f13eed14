package io.goldilocks.shim.plugins;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Writes small bundle jars (manifest only) for plugin host tests, and drops them in atomically like an operator. */
final class TestBundles {
  private TestBundles() {}

  /** A jar with only a manifest of these headers. */
  static Path manifestOnly(Path jar, Map<String, String> headers) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    headers.forEach((k, v) -> manifest.getMainAttributes().put(new Attributes.Name(k), v));
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
      jarOut.flush();
    }
    return jar;
  }

  /** Copies {@code jar} into {@code dir} as {@code name}: temp file then rename, so FileInstall never sees half. */
  static Path drop(Path jar, Path dir, String name) throws IOException {
    Path tmp = dir.resolve("." + name + ".part");
    Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
    return Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
