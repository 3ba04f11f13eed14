package io.goldilocks.shim.plugins;

import io.goldilocks.shim.sandbox.ContainerConfig;
import io.goldilocks.shim.sandbox.ContainerStats;
import io.goldilocks.shim.sandbox.EventSubscription;
import io.goldilocks.shim.sandbox.ExecConfig;
import io.goldilocks.shim.sandbox.ExitStatus;
import io.goldilocks.shim.sandbox.ProcessInfo;
import io.goldilocks.shim.sandbox.ProcessRef;
import io.goldilocks.shim.sandbox.ProcessStatus;
import io.goldilocks.shim.sandbox.Sandbox;
import io.goldilocks.shim.sandbox.SandboxEvent;
import io.goldilocks.shim.sandbox.SandboxState;
import io.goldilocks.spi.SandboxContext;
import io.goldilocks.spi.device.DeviceRequest;
import io.goldilocks.ttrpc.TtrpcException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@link Sandbox} whose containers get their devices from the device plugins: on create, the container's CDI
 * requests ({@code cdi.k8s.io/*} annotations of its spec) are planned by the plugin that supports them and the plan's
 * environment is added to the spec; a container asking for nothing passes through untouched; a request no plugin can
 * serve fails the create with the plugin's error (it names the plugin or the troubled bundles). Everything else is
 * delegated. Thread-safe (the delegate is).
 */
public final class DevicePluginSandbox implements Sandbox {
  private final Sandbox sandbox;
  private final SandboxPlugins plugins;
  private final Path sandboxDir;

  public DevicePluginSandbox(Sandbox sandbox, SandboxPlugins plugins, Path sandboxDir) {
    this.sandbox = sandbox;
    this.plugins = plugins;
    this.sandboxDir = sandboxDir;
  }

  @Override
  public void createContainer(ContainerConfig config) throws TtrpcException {
    DeviceRequest request = SpecDevices.request(new SandboxContext(sandbox.id(), sandboxDir, Map.of()), config.id(),
        config.ociSpec());
    if (request.isEmpty()) {
      sandbox.createContainer(config);
      return;
    }
    byte[] spec = SpecDevices.apply(config.ociSpec(), ContainerDevices.plan(plugins, request));
    sandbox.createContainer(new ContainerConfig(config.id(), spec, config.rootfs(), config.terminal(),
        config.stdio()));
  }

  @Override
  public String id() {
    return sandbox.id();
  }

  @Override
  public SandboxState state() {
    return sandbox.state();
  }

  @Override
  public Optional<TtrpcException> failure() {
    return sandbox.failure();
  }

  @Override
  public void exec(ExecConfig config) throws TtrpcException {
    sandbox.exec(config);
  }

  @Override
  public int start(ProcessRef process) throws TtrpcException {
    return sandbox.start(process);
  }

  @Override
  public void signal(ProcessRef process, int signal, boolean all) throws TtrpcException {
    sandbox.signal(process, signal, all);
  }

  @Override
  public ExitStatus waitProcess(ProcessRef process) throws TtrpcException, InterruptedException {
    return sandbox.waitProcess(process);
  }

  @Override
  public ProcessStatus status(ProcessRef process) throws TtrpcException {
    return sandbox.status(process);
  }

  @Override
  public List<ProcessInfo> pids(String containerId) throws TtrpcException {
    return sandbox.pids(containerId);
  }

  @Override
  public ContainerStats stats(String containerId) throws TtrpcException {
    return sandbox.stats(containerId);
  }

  @Override
  public void update(String containerId, byte[] linuxResources) throws TtrpcException {
    sandbox.update(containerId, linuxResources);
  }

  @Override
  public void pause(String containerId) throws TtrpcException {
    sandbox.pause(containerId);
  }

  @Override
  public void resume(String containerId) throws TtrpcException {
    sandbox.resume(containerId);
  }

  @Override
  public void resizeTty(ProcessRef process, int columns, int rows) throws TtrpcException {
    sandbox.resizeTty(process, columns, rows);
  }

  @Override
  public void closeStdin(ProcessRef process) throws TtrpcException {
    sandbox.closeStdin(process);
  }

  @Override
  public ExitStatus removeContainer(String containerId) throws TtrpcException {
    return sandbox.removeContainer(containerId);
  }

  @Override
  public ExitStatus removeExec(ProcessRef process) throws TtrpcException {
    return sandbox.removeExec(process);
  }

  @Override
  public EventSubscription subscribe(Consumer<SandboxEvent> listener) {
    return sandbox.subscribe(listener);
  }

  @Override
  public void shutdown() {
    sandbox.shutdown();
  }
}
