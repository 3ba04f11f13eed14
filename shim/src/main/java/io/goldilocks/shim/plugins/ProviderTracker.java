package io.goldilocks.shim.plugins;

import io.goldilocks.spi.PluginException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks the services of one plugin type and picks the provider for a request: among the services whose
 * {@code supports(...)} answers true, the highest {@code service.ranking}; on a tie the newer bundle version, then
 * the older service. A tie is logged as a conflict. Thread-safe (the tracker is; waiting uses its monitor).
 *
 * @param <T> the SPI interface
 */
final class ProviderTracker<T> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProviderTracker.class);

  /** Orders references best first. */
  private static final Comparator<ServiceReference<?>> BEST_FIRST =
      Comparator.<ServiceReference<?>>comparingInt(ProviderTracker::ranking).reversed()
          .thenComparing((ServiceReference<?> r) -> r.getBundle().getVersion(), Comparator.reverseOrder())
          .thenComparingLong(r -> (Long) r.getProperty(Constants.SERVICE_ID));

  private final String kind;
  private final ServiceTracker<T, T> tracker;
  private final Function<T, String> nameOf;
  private final Supplier<List<BundleInfo>> troubledBundles;
  private final Object changed = new Object();

  ProviderTracker(BundleContext context, Class<T> type, String kind, Function<T, String> nameOf,
      Supplier<List<BundleInfo>> troubledBundles) {
    this.kind = kind;
    this.nameOf = nameOf;
    this.troubledBundles = troubledBundles;
    this.tracker = new ServiceTracker<>(context, type, null) {
      @Override
      public T addingService(ServiceReference<T> reference) {
        T service = super.addingService(reference);
        synchronized (changed) {
          changed.notifyAll();
        }
        return service;
      }
    };
    tracker.open();
  }

  /**
   * The provider for a request, waiting up to {@code wait} for one to appear (plugins register shortly after the
   * host starts or a bundle is swapped).
   *
   * @throws PluginException FAILED_PRECONDITION naming the registered providers and the bundles with problems
   */
  T select(Predicate<T> supports, String request, Duration wait) throws PluginException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      List<String> declined = new ArrayList<>();
      T chosen = trySelect(supports, request, declined);
      if (chosen != null) {
        return chosen;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw noProvider(request, declined);
      }
      awaitChange(left);
    }
  }

  private T trySelect(Predicate<T> supports, String request, List<String> declined) {
    ServiceReference<T>[] refs = tracker.getServiceReferences();
    if (refs == null) {
      return null;
    }
    List<ServiceReference<T>> ordered = new ArrayList<>(Arrays.asList(refs));
    ordered.sort(BEST_FIRST);
    ServiceReference<T> chosenRef = null;
    T chosen = null;
    for (ServiceReference<T> ref : ordered) {
      T service = tracker.getService(ref);
      if (service == null || !answersSupports(service, supports, ref, declined)) {
        continue;
      }
      if (chosen == null) {
        chosenRef = ref;
        chosen = service;
      } else if (ranking(ref) == ranking(chosenRef)) {
        LOG.warn("{} plugin conflict for {}: {} and {} both support it at ranking {}; using {}", kind, request,
            describe(chosen, chosenRef), describe(service, ref), ranking(ref), describe(chosen, chosenRef));
      } else {
        break;
      }
    }
    return chosen;
  }

  private boolean answersSupports(T service, Predicate<T> supports, ServiceReference<T> ref, List<String> declined) {
    try {
      if (supports.test(service)) {
        return true;
      }
      declined.add(describe(service, ref) + " declined");
    } catch (RuntimeException e) {
      LOG.error("{} plugin {} failed in supports()", kind, describe(service, ref), e);
      declined.add(describe(service, ref) + " failed in supports(): " + e);
    }
    return false;
  }

  private void awaitChange(long nanos) throws PluginException {
    synchronized (changed) {
      try {
        changed.wait(Math.max(1, Math.min(nanos / 1_000_000, 100)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PluginException(PluginException.Reason.UNAVAILABLE, "interrupted waiting for a " + kind
            + " plugin", e);
      }
    }
  }

  private PluginException noProvider(String request, List<String> declined) {
    StringBuilder message = new StringBuilder("no ").append(kind).append(" plugin supports ").append(request);
    message.append(declined.isEmpty() ? "; none is registered" : "; registered: " + String.join(", ", declined));
    List<BundleInfo> troubled = troubledBundles.get();
    if (!troubled.isEmpty()) {
      message.append("; plugin bundles with problems: ");
      message.append(String.join("; ", troubled.stream().map(BundleInfo::describe).toList()));
    }
    return new PluginException(PluginException.Reason.FAILED_PRECONDITION, message.toString());
  }

  private String describe(T service, ServiceReference<T> ref) {
    String name;
    try {
      name = nameOf.apply(service);
    } catch (RuntimeException e) {
      name = service.getClass().getName();
    }
    return name + " (bundle " + ref.getBundle().getSymbolicName() + " " + ref.getBundle().getVersion() + ")";
  }

  private static int ranking(ServiceReference<?> ref) {
    return ref.getProperty(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
  }

  @Override
  public void close() {
    tracker.close();
  }
}
