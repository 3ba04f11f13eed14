package io.goldilocks.shim.plugins;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * The packages the system bundle exports to plugins ({@code org.osgi.framework.system.packages.extra}): the plugin
 * SPI, SLF4J (plugins log through the shim's Logback) and the Log Service API (so SCR's and FileInstall's logs reach
 * SLF4J too).
 *
 * <p>Versions are read from the {@code Export-Package} header of the jar (or classes directory) each package comes
 * from, so the SPI version is declared once, in the SPI's {@code package-info.java}. Stateless, thread-safe.
 */
final class SystemPackages {
  /** Package prefixes exported from the host class path, with a class that anchors the jar they come from. */
  private static final List<Source> SOURCES = List.of(
      new Source("io.goldilocks.spi", "io.goldilocks.spi.storage.StoragePlugin"),
      new Source("org.slf4j", "org.slf4j.Logger"),
      new Source("org.osgi.service.log", "org.osgi.service.log.LogReaderService"));

  private record Source(String packagePrefix, String anchorClass) {}

  private SystemPackages() {}

  /** The value for {@code org.osgi.framework.system.packages.extra}. */
  static String extra() {
    Set<String> clauses = new LinkedHashSet<>();
    for (Source source : SOURCES) {
      clauses.addAll(exportsOf(source));
    }
    return String.join(",", clauses);
  }

  private static List<String> exportsOf(Source source) {
    String header = exportHeader(source.anchorClass());
    List<String> clauses = new ArrayList<>();
    for (String clause : splitClauses(header)) {
      String pkg = clause.split(";", 2)[0].trim();
      if (pkg.equals(source.packagePrefix()) || pkg.startsWith(source.packagePrefix() + ".")) {
        clauses.add(pkg + ";version=" + versionOf(clause));
      }
    }
    if (clauses.isEmpty()) {
      throw new IllegalStateException("the jar of " + source.anchorClass() + " exports no " + source.packagePrefix()
          + " package (Export-Package: " + header + ")");
    }
    return clauses;
  }

  private static String exportHeader(String anchorClass) {
    try {
      Class<?> anchor = Class.forName(anchorClass, false, SystemPackages.class.getClassLoader());
      URL self = anchor.getResource(anchor.getSimpleName() + ".class");
      String classPath = anchorClass.replace('.', '/') + ".class";
      String base = self.toString().substring(0, self.toString().length() - classPath.length());
      try (InputStream in = new URL(base + "META-INF/MANIFEST.MF").openStream()) {
        String header = new Manifest(in).getMainAttributes().getValue(new Attributes.Name("Export-Package"));
        if (header == null) {
          throw new IllegalStateException("the jar of " + anchorClass + " has no Export-Package header: " + base);
        }
        return header;
      }
    } catch (ClassNotFoundException | IOException e) {
      throw new IllegalStateException("cannot read the OSGi exports of " + anchorClass, e);
    }
  }

  /** Splits a manifest header on the commas that separate clauses (not those inside quoted attribute values). */
  static List<String> splitClauses(String header) {
    List<String> clauses = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (char c : header.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == ',' && !quoted) {
        clauses.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    clauses.add(current.toString());
    return clauses;
  }

  private static String versionOf(String clause) {
    for (String part : clause.split(";")) {
      String p = part.trim();
      if (p.startsWith("version=")) {
        return p.substring("version=".length()).replace("\"", "");
      }
    }
    return "0.0.0";
  }
}
