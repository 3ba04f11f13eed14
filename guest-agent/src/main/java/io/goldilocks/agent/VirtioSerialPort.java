package io.goldilocks.agent;

import io.goldilocks.ttrpc.Connection;
import io.goldilocks.ttrpc.TtrpcServer;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The agent's end of the host channel: the virtio-serial port named {@code goldilocks.agent.0}, served as one duplex
 * byte stream.
 *
 * <p>A virtio-serial port reads EOF while no host is connected (and after the host disconnects); the port stays
 * ours. So the loop is: open the port, serve ttrpc on it until EOF, close it, pause briefly, and open it again, so a
 * host that reconnects (shim restart) finds the agent serving. The port is opened once read+write (virtio ports
 * allow a single open). Not thread-safe: one thread runs {@link #serveForever}.
 */
final class VirtioSerialPort {
  private static final Logger LOG = Logger.getLogger(VirtioSerialPort.class.getName());
  private static final Path PORTS = Path.of("/sys/class/virtio-ports");
  /** Pause between an EOF and the next open: bounds the agent-ready latency and the idle CPU use. */
  private static final long REOPEN_MILLIS = 50;

  private VirtioSerialPort() {}

  /** The /dev node of the port with {@code name}, scanning /sys/class/virtio-ports/&#42;/name. */
  static Optional<Path> find(Path portsDir, String name) throws IOException {
    if (!Files.isDirectory(portsDir)) {
      return Optional.empty();
    }
    try (DirectoryStream<Path> ports = Files.newDirectoryStream(portsDir)) {
      for (Path port : ports) {
        Path nameFile = port.resolve("name");
        if (Files.isReadable(nameFile)
            && Files.readString(nameFile, StandardCharsets.US_ASCII).strip().equals(name)) {
          return Optional.of(Path.of("/dev").resolve(port.getFileName().toString()));
        }
      }
    }
    return Optional.empty();
  }

  /** Waits for the port to appear, then serves it forever (reopening after every host disconnect). */
  static void serveForever(TtrpcServer server, String portName) throws IOException, InterruptedException {
    Path device = awaitPort(portName);
    LOG.info("serving ttrpc on " + device + " (" + portName + ")");
    serve(server, device, () -> false);
  }

  /** Serves {@code device} as one duplex stream, reopening it after each EOF, until {@code stop} says so. */
  static void serve(TtrpcServer server, Path device, java.util.function.BooleanSupplier stop)
      throws InterruptedException {
    boolean warned = false;
    while (!stop.getAsBoolean()) {
      try (RandomAccessFile port = new RandomAccessFile(device.toFile(), "rw")) {
        warned = false;
        Connection c = server.serve(new FileInputStream(port.getFD()), new FileOutputStream(port.getFD()));
        c.awaitClosed();
      } catch (IOException e) {
        if (!warned) {
          LOG.warning("port " + device + ": " + e.getMessage()); // once per outage, not every 50 ms
          warned = true;
        }
      }
      Thread.sleep(REOPEN_MILLIS);
    }
  }

  private static Path awaitPort(String portName) throws IOException, InterruptedException {
    long waitedMillis = 0;
    while (true) {
      Optional<Path> found = find(PORTS, portName);
      if (found.isPresent()) {
        return found.get();
      }
      if (waitedMillis % 5000 == 0) {
        LOG.warning("virtio-serial port " + portName + " not found yet under " + PORTS);
      }
      Thread.sleep(100);
      waitedMillis += 100;
    }
  }
}
