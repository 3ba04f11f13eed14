package io.goldilocks.shim.sandbox;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A {@link GuestVm} that only records what was done to it; {@link #die} plays a VM that exits. Thread-safe. */
final class FakeGuestVm implements GuestVm {
  final List<String> actions = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

  void die(String why) {
    actions.add("died");
    listeners.forEach(l -> l.accept(why));
  }

  @Override
  public void onExit(Consumer<String> listener) {
    listeners.add(listener);
  }

  @Override
  public void powerOff(Duration grace) {
    actions.add("powerOff");
  }

  @Override
  public void kill() {
    actions.add("kill");
  }

  @Override
  public List<String> consoleTail() {
    return List.of("fake console");
  }

  @Override
  public void close() {
    actions.add("close");
  }
}
