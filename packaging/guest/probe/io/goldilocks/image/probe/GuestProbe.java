package io.goldilocks.image.probe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Stands in for the guest agent in smoke-test.sh: started by the guest's init exactly as the agent is, it runs
 * probe.sh (bundled next to this class) with its output on the console, so the smoke test can see what the
 * agent would find in the guest: PID 1, cgroups, modules, the virtio-serial port, runc running a container.
 */
public final class GuestProbe {
    private GuestProbe() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length > 0 && args[0].equals("--self-test")) {   // CDS training at build time: load, run nothing
            System.out.println("probe: self-test");
            return;
        }
        System.out.println("probe: ready");
        String script;
        try (InputStream in = GuestProbe.class.getResourceAsStream("probe.sh")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Process shell = new ProcessBuilder("/bin/sh", "-c", script).inheritIO().start();
        System.out.println("probe: finished with status " + shell.waitFor());
    }
}
