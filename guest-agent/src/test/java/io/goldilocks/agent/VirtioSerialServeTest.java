package io.goldilocks.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldilocks.agent.process.Pty;
import io.goldilocks.api.agent.v1.CheckRequest;
import io.goldilocks.api.agent.v1.CheckResponse;
import io.goldilocks.testing.HostRequirements;
import io.goldilocks.ttrpc.CallOptions;
import io.goldilocks.ttrpc.TtrpcClient;
import io.goldilocks.ttrpc.TtrpcServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The port loop serving ttrpc on one read+write character device. A raw pty's slave stands in for the virtio-serial
 * port (both are character devices opened once for reading and writing); the test holds the master as "the host".
 */
class VirtioSerialServeTest {
  @Test
  void servesTtrpcOnOneDuplexDeviceUntilStopped() throws Exception {
    HostRequirements.require(Files.exists(Path.of("/dev/ptmx")), "no /dev/ptmx");
    Path state = Files.createTempDirectory("serial-test");
    Agent agent = new Agent(AgentConfig.guestDefaults().withStateDir(state).withApplyHostname(false));
    AtomicBoolean stop = new AtomicBoolean();
    TtrpcServer server = agent.server();
    Pty pty = Pty.open();
    Thread loop = new Thread(() -> {
      try {
        VirtioSerialPort.serve(server, Path.of(pty.slavePath()), stop::get);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    loop.setDaemon(true);
    loop.start();
    OutputStream toGuest = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        pty.write(new byte[] {(byte) b});
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        pty.write(java.util.Arrays.copyOfRange(b, off, off + len));
      }
    };
    TtrpcClient client = TtrpcClient.over(pty.output(), toGuest);
    try {
      for (int i = 0; i < 3; i++) {
        CheckResponse r = client.call(HealthRpc.SERVICE, "Check", CheckRequest.getDefaultInstance(),
            CheckResponse.parser(), CallOptions.timeout(Duration.ofSeconds(30)));
        assertThat(r.getApiVersion()).isEqualTo(HealthRpc.API_VERSION);
      }
    } finally {
      stop.set(true);
      server.close(); // ends the connection: the loop closes the device, sees stop, returns
      loop.join(5000);
      assertThat(loop.isAlive()).isFalse();
      // the slave is closed now, so the client's read of the master ends (EIO) and closing it cannot block
      client.close();
      pty.close();
      Files.deleteIfExists(state);
    }
  }
}
