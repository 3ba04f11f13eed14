package io.goldilocks.ttrpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Call metadata: ttrpc's list of {@code KeyValue} pairs sent with a request. A key may repeat.
 *
 * <p>Keys are compared case-insensitively and stored in lower case, as Go ttrpc's {@code MD} does. Immutable,
 * thread-safe.
 */
public final class Metadata {
  private static final Metadata EMPTY = new Metadata(List.of());

  private final List<Map.Entry<String, String>> entries;

  private Metadata(List<Map.Entry<String, String>> entries) {
    this.entries = entries;
  }

  public static Metadata empty() {
    return EMPTY;
  }

  public static Metadata of(String key, String value) {
    return EMPTY.with(key, value);
  }

  /** A copy with one more pair; existing values of {@code key} stay. */
  public Metadata with(String key, String value) {
    List<Map.Entry<String, String>> copy = new ArrayList<>(entries.size() + 1);
    copy.addAll(entries);
    copy.add(Map.entry(normalize(key), Objects.requireNonNull(value, "value")));
    return new Metadata(List.copyOf(copy));
  }

  /** The first value sent for {@code key}. */
  public Optional<String> first(String key) {
    String k = normalize(key);
    return entries.stream().filter(e -> e.getKey().equals(k)).map(Map.Entry::getValue).findFirst();
  }

  /** Every value sent for {@code key}, in order. */
  public List<String> all(String key) {
    String k = normalize(key);
    return entries.stream().filter(e -> e.getKey().equals(k)).map(Map.Entry::getValue).toList();
  }

  /** All pairs in the order they were added (or received). */
  public List<Map.Entry<String, String>> entries() {
    return entries;
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Metadata m && m.entries.equals(entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return "Metadata" + entries;
  }

  private static String normalize(String key) {
    return Objects.requireNonNull(key, "key").toLowerCase(Locale.ROOT);
  }
}
