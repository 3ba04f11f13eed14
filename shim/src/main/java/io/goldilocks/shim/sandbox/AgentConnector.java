package io.goldilocks.shim.sandbox;

import io.goldilocks.ttrpc.TtrpcException;
import java.nio.file.Path;
import java.time.Duration;

/** Opens a connection to a guest agent over the host end of its virtio-serial port. Thread-safe. */
@FunctionalInterface
interface AgentConnector {
  /**
   * Connects to the agent behind {@code socket}; {@code callDeadline} is the default deadline of every call.
   *
   * @throws TtrpcException UNAVAILABLE when the socket cannot be reached
   */
  GuestAgent connect(Path socket, Duration callDeadline) throws TtrpcException;
}
