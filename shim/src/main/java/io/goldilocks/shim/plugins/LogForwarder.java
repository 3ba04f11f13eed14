package io.goldilocks.shim.plugins;

import java.util.function.BiConsumer;
import org.osgi.framework.Bundle;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards OSGi Log Service entries (SCR's component errors, FileInstall's install/update messages) to SLF4J, one
 * logger per bundle ({@code osgi.<symbolic-name>}); error entries also go to {@code errorSink} for the listing.
 * Thread-safe.
 */
final class LogForwarder implements LogListener {
  private final BiConsumer<Bundle, String> errorSink;

  LogForwarder(BiConsumer<Bundle, String> errorSink) {
    this.errorSink = errorSink;
  }

  @Override
  public void logged(LogEntry entry) {
    Bundle bundle = entry.getBundle();
    Logger log = LoggerFactory.getLogger("osgi." + (bundle == null ? "unknown" : bundle.getSymbolicName()));
    String message = entry.getMessage();
    Throwable error = entry.getException();
    if (entry.getLoggerName() != null && entry.getLoggerName().startsWith("Events.")) {
      log.debug(message, error); // the Log Service's echo of every bundle/service event: BundleDiagnostics has them
      return;
    }
    switch (entry.getLogLevel()) {
      case AUDIT, ERROR -> {
        log.error(message, error);
        if (bundle != null) {
          errorSink.accept(bundle, error == null ? message : message + ": " + error.getMessage());
        }
      }
      case WARN -> log.warn(message, error);
      case INFO -> log.info(message, error);
      default -> log.debug(message, error);
    }
  }
}
