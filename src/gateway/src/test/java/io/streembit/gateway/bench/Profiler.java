package io.streembit.gateway.bench;

import io.streembit.gateway.testing.GatewayProcess;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Optional JFR recordings of the gateway process, one per phase, started and stopped with
 * {@code jcmd} (settings=profile: Java stacks sampled every 10 ms); each is summarised by
 * {@link JfrSummary} and kept as bench-results/PREFIX-PHASE.jfr for {@code jfr print} (PREFIX: the
 * report's name, e.g. gateway-TIMESTAMP).
 */
final class Profiler {
    private final GatewayProcess gateway;
    private final Path dir;
    private final String prefix;
    private final boolean on;

    Profiler(GatewayProcess gateway, Path dir, String prefix, boolean on) {
        this.gateway = gateway;
        this.dir = dir;
        this.prefix = prefix;
        this.on = on;
    }

    void start(String name) throws Exception {
        if (on) {
            gateway.jcmd("JFR.start", "name=" + name, "settings=profile");
        }
    }

    /** Stops the recording and summarises it; null when profiling is off or the recording is missing. */
    JfrSummary.Summary stop(String name) throws Exception {
        if (!on) {
            return null;
        }
        Path file = dir.resolve(prefix + "-" + name + ".jfr").toAbsolutePath();
        String out = gateway.jcmd("JFR.stop", "name=" + name, "filename=" + file);
        if (!Files.isRegularFile(file)) {
            System.err.println("JFR recording " + name + " not written: " + out.trim());
            return null;
        }
        return JfrSummary.read(file, 25);
    }
}
