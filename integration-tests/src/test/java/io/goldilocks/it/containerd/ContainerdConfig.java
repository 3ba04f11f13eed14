package io.goldilocks.it.containerd;

import java.nio.file.Path;
import java.util.List;

/**
 * The layout of one private containerd inside its own directory, and the config.toml that points containerd there.
 *
 * <p>Every path containerd 1.6 lets us redirect lives under {@code dir}: root, state, the gRPC, ttrpc and debug
 * sockets, the opt plugin's directory, the CNI config directory and the log. The CRI plugin needs
 * {@code restrict_oom_score_adj = true} here (the machine has no CAP_SYS_RESOURCE, so runc could not lower the
 * sandbox's oom_score_adj) and a {@code runc} runtime entry (the plugin refuses to load once any runtime is declared
 * without the default one). Immutable.
 */
record ContainerdConfig(Path dir, List<CriRuntime> extraRuntimes) {

  /** A CRI runtime handler: {@code [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.<name>]}. */
  record CriRuntime(String name, String runtimeType) {
    CriRuntime {
      if (!name.matches("[A-Za-z0-9_-]+") || !runtimeType.matches("[A-Za-z0-9._-]+")) {
        throw new IllegalArgumentException("bad runtime name or type: " + name + " / " + runtimeType);
      }
    }
  }

  ContainerdConfig {
    extraRuntimes = List.copyOf(extraRuntimes);
  }

  Path configFile() {
    return dir.resolve("config.toml");
  }

  Path root() {
    return dir.resolve("root");
  }

  Path state() {
    return dir.resolve("state");
  }

  Path grpcSocket() {
    return dir.resolve("containerd.sock");
  }

  /** containerd 1.6 serves ttrpc next to the gRPC socket when [ttrpc] address is empty. */
  Path ttrpcSocket() {
    return dir.resolve("containerd.sock.ttrpc");
  }

  Path debugSocket() {
    return dir.resolve("debug.sock");
  }

  Path log() {
    return dir.resolve("containerd.log");
  }

  Path cniConfDir() {
    return dir.resolve("cni-conf");
  }

  Path optDir() {
    return dir.resolve("opt");
  }

  /** ctr's stdio FIFOs go here (ctr --fifo-dir) instead of the shared /run/containerd/fifo. */
  Path fifoDir() {
    return dir.resolve("fifo");
  }

  String render() {
    StringBuilder toml = new StringBuilder()
        .append("version = 2\n")
        .append("root = ").append(quote(root())).append('\n')
        .append("state = ").append(quote(state())).append('\n')
        .append("plugin_dir = \"\"\n")
        .append("disabled_plugins = []\n")
        .append("[grpc]\n  address = ").append(quote(grpcSocket())).append('\n')
        .append("[ttrpc]\n  address = \"\"\n")
        .append("[debug]\n  address = ").append(quote(debugSocket())).append("\n  level = \"debug\"\n")
        .append("[metrics]\n  address = \"\"\n")
        .append("[plugins]\n")
        .append("  [plugins.\"io.containerd.internal.v1.opt\"]\n    path = ").append(quote(optDir())).append('\n')
        .append("  [plugins.\"io.containerd.grpc.v1.cri\"]\n")
        .append("    restrict_oom_score_adj = true\n")
        .append("    [plugins.\"io.containerd.grpc.v1.cri\".cni]\n")
        .append("      bin_dir = \"/usr/lib/cni\"\n")
        .append("      conf_dir = ").append(quote(cniConfDir())).append('\n');
    runtime(toml, new CriRuntime("runc", "io.containerd.runc.v2"));
    extraRuntimes.forEach(r -> runtime(toml, r));
    return toml.toString();
  }

  private static void runtime(StringBuilder toml, CriRuntime runtime) {
    toml.append("    [plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.").append(runtime.name()).append("]\n")
        .append("      runtime_type = ").append(quote(runtime.runtimeType())).append('\n');
  }

  private static String quote(Object value) {
    String s = value.toString();
    if (s.contains("\"") || s.contains("\\") || s.contains("\n")) {
      throw new IllegalArgumentException("unsupported character in config value: " + s);
    }
    return '"' + s + '"';
  }
}
