package io.goldilocks.shim.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AsyncAppenderBase;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import io.goldilocks.shim.io.Fifos;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logback for the shim server, configured in code: containerd's {@code log} FIFO in the bundle (containerd copies
 * what arrives there into its own log) and stderr (the server's output file, for what happens before or without
 * containerd).
 *
 * <p>The FIFO is opened O_RDWR so the open never waits for containerd, and the appender sits behind an asynchronous,
 * never-blocking queue: when containerd stops reading (it restarts), log lines are dropped instead of stalling the
 * shim on a full pipe.
 */
final class ShimLogging {
  private static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n";

  private ShimLogging() {}

  static void configure(Path logFifo, boolean debug) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(debug ? Level.DEBUG : Level.INFO);

    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setTarget("System.err");
    console.setEncoder(encoder(context));
    console.start();
    root.addAppender(console);

    if (Files.exists(logFifo)) {
      try {
        OutputStream fifo = Fifos.openReadWrite(logFifo);
        OutputStreamAppender<ILoggingEvent> toContainerd = new OutputStreamAppender<>();
        toContainerd.setContext(context);
        toContainerd.setName("containerd-log");
        toContainerd.setEncoder(encoder(context));
        toContainerd.setOutputStream(fifo);
        toContainerd.start();
        AsyncAppenderBase<ILoggingEvent> async = new ch.qos.logback.classic.AsyncAppender();
        async.setContext(context);
        async.setNeverBlock(true);
        async.setQueueSize(1024);
        async.addAppender(toContainerd);
        async.start();
        root.addAppender(async);
      } catch (IOException e) {
        root.warn("cannot open containerd's log FIFO {}: {}", logFifo, e.toString());
      }
    }
  }

  private static PatternLayoutEncoder encoder(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    return encoder;
  }

  static void flush() {
    ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
  }
}
