package io.goldilocks.spi.device;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A fully-qualified CDI device name, {@code vendor.com/class=name} (e.g. {@code nvidia.com/gpu=0}), as requested by
 * the annotations {@code cdi.k8s.io/<key>: <name>[,<name>...]} (the CDI spec's annotation form).
 *
 * @param kind {@code vendor/class}, e.g. {@code nvidia.com/gpu}
 * @param name the device name within the kind, e.g. {@code 0}, {@code all} or a UUID
 */
public record CdiDevice(String kind, String name) {
  /** Annotation key prefix for CDI device requests. */
  public static final String ANNOTATION_PREFIX = "cdi.k8s.io/";

  public CdiDevice {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    if (!kind.matches("[a-zA-Z0-9][a-zA-Z0-9.-]*/[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
      throw new IllegalArgumentException("CDI kind must be vendor/class: '" + kind + "'");
    }
    if (!name.matches("[a-zA-Z0-9][a-zA-Z0-9_.:-]*")) {
      throw new IllegalArgumentException("invalid CDI device name: '" + name + "'");
    }
  }

  /** Parses {@code vendor/class=name}. */
  public static CdiDevice parse(String qualified) {
    int eq = qualified.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("CDI device must be vendor/class=name: '" + qualified + "'");
    }
    return new CdiDevice(qualified.substring(0, eq).trim(), qualified.substring(eq + 1).trim());
  }

  /**
   * The CDI devices requested by {@code annotations}' {@code cdi.k8s.io/*} entries, in key order then value order.
   *
   * @throws IllegalArgumentException for a malformed device name
   */
  public static List<CdiDevice> fromAnnotations(Map<String, String> annotations) {
    List<CdiDevice> devices = new ArrayList<>();
    for (Map.Entry<String, String> e : new TreeMap<>(annotations).entrySet()) {
      if (!e.getKey().startsWith(ANNOTATION_PREFIX)) {
        continue;
      }
      for (String qualified : e.getValue().split(",")) {
        if (!qualified.isBlank()) {
          devices.add(parse(qualified.trim()));
        }
      }
    }
    return List.copyOf(devices);
  }

  @Override
  public String toString() {
    return kind + "=" + name;
  }
}
