package io.goldilocks.shim.launch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code annotations} object of an OCI {@code config.json}, read with Jackson's streaming parser only (no
 * databind: {@code start} is on containerd's critical path and must load few classes).
 *
 * <p>Thread-safe (stateless).
 */
public final class SpecAnnotations {
  /** CRI's annotation saying whether a spec is a pod sandbox or a container in one. */
  public static final String CONTAINER_TYPE = "io.kubernetes.cri.container-type";
  /** CRI's annotation naming the pod sandbox a container belongs to. */
  public static final String SANDBOX_ID = "io.kubernetes.cri.sandbox-id";

  private static final long MAX_CONFIG_BYTES = 4L << 20;

  private SpecAnnotations() {}

  /** The annotations of {@code configJson}; empty when the file has none or does not exist. */
  public static Map<String, String> read(Path configJson) throws IOException {
    try {
      if (Files.size(configJson) > MAX_CONFIG_BYTES) {
        throw new IOException(configJson + " is larger than " + MAX_CONFIG_BYTES + " bytes");
      }
      return parse(Files.readAllBytes(configJson));
    } catch (NoSuchFileException e) {
      return Map.of();
    }
  }

  static Map<String, String> parse(byte[] json) throws IOException {
    Map<String, String> annotations = new HashMap<>();
    try (JsonParser parser = new JsonFactory().createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("config.json is not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("annotations".equals(field) && value == JsonToken.START_OBJECT) {
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            parser.nextToken();
            annotations.put(key, parser.getValueAsString(""));
          }
        } else {
          parser.skipChildren();
        }
      }
    }
    return annotations;
  }

  /** {@link #groupOf(String, Map)} for the container whose bundle is {@code bundle} (its config.json). */
  public static String groupOf(String id, Path bundle) throws IOException {
    return groupOf(id, read(bundle.resolve(BundleFiles.CONFIG)));
  }

  /**
   * The group (sandbox id) whose shim serves container {@code id}: a CRI container joins its pod's sandbox; anything
   * else (a pod sandbox, a plain {@code ctr run} container) is its own sandbox.
   */
  public static String groupOf(String id, Map<String, String> annotations) {
    String sandbox = annotations.get(SANDBOX_ID);
    if ("container".equals(annotations.get(CONTAINER_TYPE)) && sandbox != null && !sandbox.isEmpty()) {
      return sandbox;
    }
    return id;
  }
}
