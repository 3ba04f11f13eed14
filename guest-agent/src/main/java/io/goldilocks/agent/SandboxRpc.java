package io.goldilocks.agent;

import com.google.protobuf.Empty;
import io.goldilocks.agent.process.ContainerManager;
import io.goldilocks.agent.sandbox.Sandbox;
import io.goldilocks.agent.sandbox.SandboxConfig;
import io.goldilocks.api.agent.v1.CreateSandboxRequest;
import io.goldilocks.api.agent.v1.DestroySandboxRequest;
import io.goldilocks.api.agent.v1.DnsConfig;
import io.goldilocks.api.agent.v1.GuestMount;
import io.goldilocks.ttrpc.CallContext;
import io.goldilocks.ttrpc.Service;
import io.goldilocks.ttrpc.TtrpcException;
import java.util.ArrayList;
import java.util.List;

/** CreateSandbox / DestroySandbox of goldilocks.agent.v1.Agent. Thread-safe (stateless adapter). */
final class SandboxRpc {
  private final Sandbox sandbox;
  private final ContainerManager containers;

  SandboxRpc(Sandbox sandbox, ContainerManager containers) {
    this.sandbox = sandbox;
    this.containers = containers;
  }

  void register(Service.Builder b) {
    b.unary("CreateSandbox", CreateSandboxRequest.parser(), this::create);
    b.unary("DestroySandbox", DestroySandboxRequest.parser(), this::destroy);
  }

  private Empty create(CallContext ctx, CreateSandboxRequest r) throws TtrpcException {
    DnsConfig dns = r.getDns();
    sandbox.create(new SandboxConfig(RequestChecks.id("sandbox_id", r.getSandboxId()),
        RequestChecks.hostname(r.getHostname()),
        tokens("dns.servers", dns.getServersList(), RequestChecks.DNS_SERVERS_MAX, 64),
        tokens("dns.searches", dns.getSearchesList(), RequestChecks.DNS_SEARCHES_MAX, 253),
        tokens("dns.options", dns.getOptionsList(), RequestChecks.DNS_OPTIONS_MAX, 64), mounts(r)));
    return Empty.getDefaultInstance();
  }

  private Empty destroy(CallContext ctx, DestroySandboxRequest r) throws Exception {
    String id = RequestChecks.id("sandbox_id", r.getSandboxId());
    List<String> failed = containers.removeAll();
    sandbox.destroy(id);
    if (!failed.isEmpty()) {
      throw TtrpcException.internal("containers left behind: %s", String.join("; ", failed));
    }
    return Empty.getDefaultInstance();
  }

  private static List<SandboxConfig.GuestMount> mounts(CreateSandboxRequest r) throws TtrpcException {
    List<SandboxConfig.GuestMount> out = new ArrayList<>();
    for (GuestMount m : RequestChecks.count("mounts", r.getMountsList(), RequestChecks.MOUNTS_MAX)) {
      if (!RequestChecks.MOUNT_TYPES.contains(m.getFstype())) {
        throw TtrpcException.invalidArgument("mount fstype \"%s\" is not one of %s", m.getFstype(),
            RequestChecks.MOUNT_TYPES);
      }
      out.add(new SandboxConfig.GuestMount(RequestChecks.token("mount source", m.getSource(), 256),
          RequestChecks.absolutePath("mount target", m.getTarget()).toString(), m.getFstype(),
          tokens("mount options", m.getOptionsList(), RequestChecks.MOUNT_OPTIONS_MAX, 256)));
    }
    return out;
  }

  private static List<String> tokens(String what, List<String> values, int maxCount, int maxBytes)
      throws TtrpcException {
    RequestChecks.count(what, values, maxCount);
    for (String v : values) {
      RequestChecks.token(what, v, maxBytes);
    }
    return values;
  }
}
