package io.streembit.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The demo's gateway replicas, one process each, started together and stopped together. They
 * share the gateway key file, which must exist before they start: started together, each would
 * create a key of its own in the same file.
 */
final class GatewayReplicas implements AutoCloseable {
    record Replica(String name, GatewayLauncher gateway, Path log) {}

    private final List<Replica> replicas = new ArrayList<>();

    /**
     * Starts one replica per entry of {@code properties} (gateway-1, gateway-2, ...) and returns
     * once each is ready. Those already started stay in this object to be closed.
     */
    void start(Path jar, List<Map<String, String>> properties, List<Integer> httpPorts, String apiKey, Path dir)
            throws IOException, InterruptedException, CliException {
        for (int i = 0; i < properties.size(); i++) {
            Path log = dir.resolve(DemoCluster.name(i) + ".log");
            GatewayLauncher gateway = GatewayLauncher.start(jar, properties.get(i), httpPorts.get(i), apiKey, log);
            replicas.add(new Replica(DemoCluster.name(i), gateway, log));
        }
        for (Replica replica : replicas) {
            replica.gateway().awaitReady(Duration.ofSeconds(180), replica.log());
        }
    }

    List<Replica> all() {
        return List.copyOf(replicas);
    }

    Replica first() {
        return replicas.get(0);
    }

    /** A replica still running, to ask about the cluster. */
    Optional<Replica> anyAlive() {
        return replicas.stream().filter(r -> r.gateway().alive()).findFirst();
    }

    /** SIGTERM to every replica first, then the waits: they leave the group and stop side by side. */
    @Override
    public void close() throws InterruptedException {
        for (Replica replica : replicas) {
            replica.gateway().requestStop();
        }
        for (Replica replica : replicas) {
            replica.gateway().close();
        }
    }
}
