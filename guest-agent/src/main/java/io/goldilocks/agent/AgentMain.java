package io.goldilocks.agent;

import io.goldilocks.ttrpc.TtrpcServer;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * The guest agent's entry point.
 *
 * <pre>
 *   agent                                   serve on the virtio-serial port goldilocks.agent.0 (in the guest)
 *   agent --listen /path/agent.sock         serve on a Unix socket (host-side tests); hostname left alone
 *   agent --self-test [--rootfs DIR]        exercise the main code paths and exit 0/1 (trains the AppCDS archive)
 *   options: --port-name N --runc PATH --runc-root DIR --state-dir DIR --cgroup-parent P --[no-]apply-hostname
 * </pre>
 */
public final class AgentMain {
  /** Reported by Health.Check. */
  public static final String VERSION = "0.1.0";
  static final String PORT_NAME = "goldilocks.agent.0";

  private static final Logger LOG = Logger.getLogger(AgentMain.class.getName());

  private AgentMain() {}

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("goldilocks-agent: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (o.selfTest) {
      System.exit(SelfTest.run(o.config, o.rootfs) ? 0 : 1);
      return;
    }
    Agent agent = new Agent(o.config).start();
    TtrpcServer server = agent.server();
    if (o.listen != null) {
      server.listen(o.listen);
      LOG.info("goldilocks-agent " + VERSION + " listening on " + o.listen);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(agent, server)));
      Thread.currentThread().join(); // serve until killed
    } else {
      VirtioSerialPort.serveForever(server, o.portName);
    }
  }

  private static void shutdown(Agent agent, TtrpcServer server) {
    server.close();
    try {
      agent.removeAllContainers();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Parsed command line. Plain parsing: picocli would cost start-up classes in the guest. */
  static final class Options {
    AgentConfig config = AgentConfig.guestDefaults();
    Path listen;
    Path rootfs;
    boolean selfTest;
    String portName = PORT_NAME;

    static Options parse(String[] args) {
      Options o = new Options();
      Boolean applyHostname = null;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--listen": o.listen = Path.of(value(args, ++i, a)); break;
          case "--self-test": o.selfTest = true; break;
          case "--rootfs": o.rootfs = Path.of(value(args, ++i, a)); break;
          case "--port-name": o.portName = value(args, ++i, a); break;
          case "--runc": o.config = o.config.withRunc(value(args, ++i, a)); break;
          case "--runc-root": o.config = o.config.withRuncRoot(Path.of(value(args, ++i, a))); break;
          case "--state-dir": o.config = o.config.withStateDir(Path.of(value(args, ++i, a))); break;
          case "--cgroup-parent": o.config = o.config.withCgroupParent(value(args, ++i, a)); break;
          case "--apply-hostname": applyHostname = true; break;
          case "--no-apply-hostname": applyHostname = false; break;
          default: throw new IllegalArgumentException("unknown option " + a);
        }
      }
      boolean apply = applyHostname != null ? applyHostname : o.listen == null && !o.selfTest;
      o.config = o.config.withApplyHostname(apply);
      return o;
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }
  }
}
