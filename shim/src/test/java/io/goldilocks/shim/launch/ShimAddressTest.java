package io.goldilocks.shim.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShimAddressTest {
  @Test
  void isSha256OfAddressNamespaceAndIdUnderContainerdsSocketDir() {
    // printf '%s' /w/ctrd/containerd.sock/expctr/b1 | sha256sum
    ShimAddress a = ShimAddress.of("/w/ctrd/containerd.sock", "expctr", "b1");
    assertThat(a.uri()).isEqualTo("unix:///run/containerd/s/"
        + ShimAddress.sha256Hex("/w/ctrd/containerd.sock/expctr/b1"));
    assertThat(ShimAddress.sha256Hex("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(ShimAddress.parse(a.uri())).isEqualTo(a);
  }

  @Test
  void aPodContainerGroupsWithItsSandboxAndEverythingElseIsItsOwnGroup() {
    Map<String, String> container = Map.of(SpecAnnotations.CONTAINER_TYPE, "container",
        SpecAnnotations.SANDBOX_ID, "sb1");
    Map<String, String> sandbox = Map.of(SpecAnnotations.CONTAINER_TYPE, "sandbox",
        SpecAnnotations.SANDBOX_ID, "sb1");
    assertThat(SpecAnnotations.groupOf("c1", container)).isEqualTo("sb1");
    assertThat(SpecAnnotations.groupOf("sb1", sandbox)).isEqualTo("sb1");
    assertThat(SpecAnnotations.groupOf("plain", Map.of())).isEqualTo("plain");
    assertThat(ShimAddress.in(Path.of("/s"), "/a", "ns", SpecAnnotations.groupOf("c1", container)))
        .isEqualTo(ShimAddress.in(Path.of("/s"), "/a", "ns", "sb1"));
  }

  @Test
  void sandboxIdsDifferAcrossNamespacesAndStayShort() {
    String a = new ShimGroup("/a", "ns1", "c1").sandboxId();
    String b = new ShimGroup("/a", "ns2", "c1").sandboxId();
    assertThat(a).isNotEqualTo(b).hasSizeLessThanOrEqualTo(64).matches("[A-Za-z0-9]+([._-][A-Za-z0-9]+)*");
  }

  @Test
  void readsAnnotationsFromASpecIgnoringEverythingElse() throws Exception {
    byte[] json = ("{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"env\":[\"A=1\"]},"
        + "\"annotations\":{\"io.kubernetes.cri.container-type\":\"container\",\"x\":\"y\"},\"linux\":{}}")
        .getBytes();
    assertThat(SpecAnnotations.parse(json)).containsEntry(SpecAnnotations.CONTAINER_TYPE, "container")
        .containsEntry("x", "y").hasSize(2);
  }
}
