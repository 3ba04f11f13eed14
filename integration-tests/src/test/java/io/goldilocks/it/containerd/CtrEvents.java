package io.goldilocks.it.containerd;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A running {@code ctr events}, which prints one line per event: {@code <timestamp> <namespace> <topic> <json>}, the
 * JSON being the event decoded by its Any type URL (empty when ctr cannot decode it). A daemon thread collects the
 * lines; tests wait for the one they expect. Thread-safe.
 */
public final class CtrEvents implements AutoCloseable {
  /** One printed event. {@code payload} is the JSON as ctr printed it. */
  public record Event(String line, String namespace, String topic, String payload) {
    static Event parse(String line) {
      // "2026-12-04 21:30:00.1 +0000 UTC <namespace> <topic> <json>": the timestamp is four words
      String[] words = line.split(" ", 7);
      if (words.length < 6) {
        return new Event(line, "", "", "");
      }
      return new Event(line, words[4], words[5], words.length > 6 ? words[6] : "");
    }
  }

  private final Process process;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final List<Event> seen = new ArrayList<>(); // guarded by itself

  private CtrEvents(Process process) {
    this.process = process;
    Thread reader = new Thread(this::readLines, "ctr-events-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code ctr events} against the given containerd. */
  public static CtrEvents start(PrivateContainerd containerd) {
    return new CtrEvents(containerd.startCtr("events"));
  }

  /** Waits for the first not-yet-consumed event matching {@code filter}; empty when none arrives in time. */
  public Optional<Event> await(Predicate<Event> filter, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      long left = Duration.between(Instant.now(), deadline).toMillis();
      if (left <= 0) {
        return Optional.empty();
      }
      Event e = events.poll(left, TimeUnit.MILLISECONDS);
      if (e != null && filter.test(e)) {
        return Optional.of(e);
      }
    }
  }

  /** Every line printed so far, for failure messages. */
  public List<Event> seen() {
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  private void readLines() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        Event e = Event.parse(line);
        synchronized (seen) {
          seen.add(e);
        }
        events.add(e);
      }
    } catch (IOException ended) {
      // ctr was stopped
    }
  }
}
