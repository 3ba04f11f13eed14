package io.goldilocks.shim.plugins;

import java.util.function.BiConsumer;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the Felix framework's own log (resolution failures, listener exceptions) to SLF4J, logger
 * {@code io.goldilocks.shim.plugins.felix}; errors that name a bundle also go to {@code errorSink} so the bundle
 * listing shows them. Installed with the {@code felix.log.logger} framework property. Thread-safe.
 */
final class FelixLogger extends org.apache.felix.framework.Logger {
  private static final Logger LOG = LoggerFactory.getLogger("io.goldilocks.shim.plugins.felix");

  private volatile BiConsumer<Bundle, String> errorSink = (bundle, message) -> {};

  /** Felix log level matching the SLF4J logger's most verbose enabled level. */
  static int levelFor() {
    if (LOG.isDebugEnabled()) {
      return LOG_DEBUG;
    }
    return LOG.isInfoEnabled() ? LOG_INFO : LOG_WARNING;
  }

  void errorSink(BiConsumer<Bundle, String> sink) {
    this.errorSink = sink;
  }

  @Override
  @SuppressWarnings("rawtypes")
  protected void doLog(Bundle bundle, ServiceReference sr, int level, String msg, Throwable throwable) {
    String text = bundle == null ? msg : "[" + bundle.getSymbolicName() + " " + bundle.getVersion() + "] " + msg;
    doLog(level, text, throwable);
    if (level == LOG_ERROR && bundle != null) {
      errorSink.accept(bundle, throwable == null ? msg : msg + ": " + throwable.getMessage());
    }
  }

  @Override
  protected void doLog(int level, String msg, Throwable throwable) {
    switch (level) {
      case LOG_ERROR -> LOG.error(msg, throwable);
      case LOG_WARNING -> LOG.warn(msg, throwable);
      case LOG_INFO -> LOG.info(msg, throwable);
      default -> LOG.debug(msg, throwable);
    }
  }
}
