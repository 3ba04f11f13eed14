package io.goldilocks.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Empty;
import io.goldilocks.agent.json.Json;
import io.goldilocks.api.agent.v1.CreateSandboxRequest;
import io.goldilocks.api.agent.v1.DestroySandboxRequest;
import io.goldilocks.api.agent.v1.DnsConfig;
import io.goldilocks.api.agent.v1.GuestMount;
import io.goldilocks.api.agent.v1.OutputStream;
import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CreateSandbox/DestroySandbox with a real tmpfs mount and a container that reads the sandbox's DNS file. */
class SandboxRpcTest {
  private AgentHarness h;

  @BeforeEach
  void setUp() throws Exception {
    h = new AgentHarness();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  private CreateSandboxRequest sandbox(Path mountPoint) {
    return CreateSandboxRequest.newBuilder().setSandboxId("pod1").setHostname("pod-one")
        .setDns(DnsConfig.newBuilder().addServers("10.0.0.10").addSearches("svc.cluster.local")
            .addOptions("ndots:5"))
        .addMounts(GuestMount.newBuilder().setSource("tmpfs").setFstype("tmpfs").setTarget(mountPoint.toString())
            .addOptions("size=1m"))
        .build();
  }

  @Test
  void theSandboxMountsItsShareAndGivesContainersItsDnsFiles() throws Exception {
    Path share = h.dir.resolve("shared");
    h.call("CreateSandbox", sandbox(share), Empty.parser());
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).contains(" " + share + " ");
    assertThatThrownBy(() -> h.call("CreateSandbox", sandbox(share), Empty.parser()))
        .satisfies(e -> assertThat(((TtrpcException) e).code()).isEqualTo(Code.FAILED_PRECONDITION));

    Map<String, Object> spec = Json.parseObject(AgentHarness.spec("cat", "/etc/resolv.conf"));
    @SuppressWarnings("unchecked")
    List<Object> mounts = (List<Object>) spec.get("mounts");
    mounts.add(Map.of("destination", "/etc/resolv.conf", "type", "bind", "source", "/host/only/resolv.conf",
        "options", List.of("rbind", "ro")));
    Files.createFile(h.rootfs.resolve("etc/resolv.conf"));
    h.create("c", Json.write(spec), AgentHarness.stdio(false));
    h.start("c");
    assertThat(new String(h.readAll("c", "", OutputStream.STDOUT), StandardCharsets.UTF_8))
        .isEqualTo("nameserver 10.0.0.10\nsearch svc.cluster.local\noptions ndots:5\n");

    assertThatThrownBy(() -> h.call("DestroySandbox", DestroySandboxRequest.newBuilder().setSandboxId("other")
        .build(), Empty.parser()))
        .satisfies(e -> assertThat(((TtrpcException) e).code()).isEqualTo(Code.NOT_FOUND));
    h.call("DestroySandbox", DestroySandboxRequest.newBuilder().setSandboxId("pod1").build(), Empty.parser());
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(" " + share + " ");
    assertThatThrownBy(() -> h.await("c", ""))
        .satisfies(e -> assertThat(((TtrpcException) e).code()).isEqualTo(Code.NOT_FOUND));
  }

  @Test
  void badSandboxRequestsAreRejected() {
    Path share = h.dir.resolve("shared");
    CreateSandboxRequest tooManyServers = sandbox(share).toBuilder()
        .setDns(DnsConfig.newBuilder().addServers("1.1.1.1").addServers("1.1.1.2").addServers("1.1.1.3")
            .addServers("1.1.1.4")).build();
    assertThatThrownBy(() -> h.call("CreateSandbox", tooManyServers, Empty.parser()))
        .satisfies(e -> assertThat(((TtrpcException) e).code()).isEqualTo(Code.RESOURCE_EXHAUSTED));
    CreateSandboxRequest badType = sandbox(share).toBuilder().setMounts(0, GuestMount.newBuilder()
        .setSource("/dev/sda").setFstype("ext4").setTarget(share.toString())).build();
    assertThatThrownBy(() -> h.call("CreateSandbox", badType, Empty.parser()))
        .satisfies(e -> assertThat(((TtrpcException) e).code()).isEqualTo(Code.INVALID_ARGUMENT));
    assertThat(h.dir.resolve("shared")).doesNotExist();
  }
}
