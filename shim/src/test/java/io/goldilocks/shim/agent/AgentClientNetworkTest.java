package io.goldilocks.shim.agent;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import io.goldilocks.agent.Agent;
import io.goldilocks.agent.AgentConfig;
import io.goldilocks.api.agent.v1.ConfigureNetworkRequest;
import io.goldilocks.api.agent.v1.NetworkInterface;
import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import io.goldilocks.ttrpc.TtrpcServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ConfigureNetwork over the wire to the real agent (only requests that change nothing on this host). */
class AgentClientNetworkTest {
  @TempDir Path dir;
  private TtrpcServer server;
  private AgentClient client;

  @BeforeEach
  void setUp() throws Exception {
    Agent agent = new Agent(AgentConfig.guestDefaults().withStateDir(dir.resolve("state")).withApplyHostname(false));
    server = agent.server();
    server.listen(dir.resolve("agent.sock"));
    client = AgentClient.connect(dir.resolve("agent.sock"), AgentClientConfig.defaults());
  }

  @AfterEach
  void tearDown() {
    client.close();
    server.close();
  }

  @Test
  void aMalformedInterfaceIsRejectedByTheGuest() {
    ConfigureNetworkRequest bad = ConfigureNetworkRequest.newBuilder().addInterfaces(NetworkInterface.newBuilder()
        .setMac("02:00:00:00:00:01").setName("eth0 up; reboot").addAddresses("10.0.0.2/24")).build();
    assertThatThrownBy(() -> client.configureNetwork(bad)).isInstanceOfSatisfying(TtrpcException.class,
        e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT));
  }

  @Test
  void anEmptyConfigurationIsAccepted() throws Exception {
    client.configureNetwork(ConfigureNetworkRequest.getDefaultInstance());
  }
}
