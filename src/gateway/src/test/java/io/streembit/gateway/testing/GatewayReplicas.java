package io.streembit.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.protocol.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gateway replicas of one cluster, each its own OS process ({@link GatewayProcess}) on the same
 * PostgreSQL, Kafka and DHT: one shared gateway key file, and per replica its member id
 * ({@code replica-<i>}), HTTP and DHT ports, and data directory (where its node key is made).
 * The first replica creates the gateway key and the schema, so {@link #start} waits for it alone
 * before the others start.
 */
public final class GatewayReplicas implements AutoCloseable {
    private static final Pattern FOLLOWED =
            Pattern.compile("^streembit_ingest_lag\\{[^}]*device=\"([0-9a-f]{40})\"", Pattern.MULTILINE);

    private final Path jar;
    private final String heap;
    private final Map<String, String> shared;
    private final Path work;
    private final List<GatewayProcess> replicas = new ArrayList<>();

    /**
     * @param shared the configuration every replica gets (database, seeds, routes, timings); the
     *               cluster settings and the per-replica ones are added here
     */
    public GatewayReplicas(Path jar, String heap, Map<String, String> shared, String kafka, String group, Path work) {
        this.jar = jar;
        this.heap = heap;
        this.work = work;
        this.shared = new LinkedHashMap<>(shared);
        this.shared.put("streembit.key.file", work.resolve("gateway.key").toString());
        this.shared.putIfAbsent("streembit.key.passcode", "replicas-Passcode-42");
        this.shared.put("streembit.key.generate", "true");
        this.shared.put("streembit.cluster.enabled", "true");
        this.shared.put("streembit.cluster.bootstrap-servers", kafka);
        this.shared.put("streembit.cluster.group-id", group);
    }

    /** Starts {@code count} more replicas and waits until each is ready (in the group, its share taken). */
    public List<GatewayProcess> start(int count, Duration timeout) throws Exception {
        List<GatewayProcess> started = new ArrayList<>();
        if (replicas.isEmpty() && count > 0) {
            GatewayProcess first = create();
            first.start();
            first.awaitReady(timeout);
            started.add(first);
        }
        while (started.size() < count) {
            GatewayProcess next = create();
            next.start();
            started.add(next);
        }
        for (GatewayProcess replica : started) {
            replica.awaitReady(timeout);
        }
        return started;
    }

    private GatewayProcess create() throws IOException {
        int index = replicas.size();
        Path dir = Files.createDirectories(work.resolve("replica-" + index));
        int[] ports = Ports.free(2);
        Map<String, String> props = new LinkedHashMap<>(shared);
        props.put("quarkus.http.host", "127.0.0.1");
        props.put("quarkus.http.port", String.valueOf(ports[0]));
        props.put("streembit.dht.host", "127.0.0.1");
        props.put("streembit.dht.port", String.valueOf(ports[1]));
        props.put("streembit.dht.data-dir", dir.resolve("dht").toString());
        props.put("streembit.cluster.member-id", "replica-" + index);
        GatewayProcess replica = new GatewayProcess(jar, heap, props, dir, dir.resolve("gateway.log"));
        replicas.add(replica);
        return replica;
    }

    public GatewayProcess get(int index) {
        return replicas.get(index);
    }

    public List<GatewayProcess> all() {
        return List.copyOf(replicas);
    }

    /** The replicas whose process runs (a paused one included). */
    public List<GatewayProcess> alive() {
        return replicas.stream().filter(GatewayProcess::alive).toList();
    }

    /** {@code GET /api/cluster} of {@code replica}. */
    public static JsonNode view(GatewayProcess replica) throws IOException, InterruptedException {
        try {
            return Json.parse(
                    replica.getOk("/api/cluster").getBytes(java.nio.charset.StandardCharsets.UTF_8), "cluster view");
        } catch (io.streembit.protocol.ProtocolException e) {
            throw new IOException(e);
        }
    }

    /** The shards {@code replica} owns now, by its own account. */
    public static Set<Integer> owned(GatewayProcess replica) throws IOException, InterruptedException {
        Set<Integer> owned = new TreeSet<>();
        view(replica).path("owned").forEach(s -> owned.add(s.asInt()));
        return owned;
    }

    /**
     * The devices {@code replica} follows now: those with an ingest lag gauge, which a follower
     * registers when it starts and removes when it stops.
     */
    public static Set<String> followed(GatewayProcess replica) throws IOException, InterruptedException {
        Set<String> devices = new TreeSet<>();
        Matcher m = FOLLOWED.matcher(replica.getOk("/q/metrics"));
        while (m.find()) {
            devices.add(m.group(1));
        }
        return devices;
    }

    /** Sum of every series of counter {@code name} (Prometheus name, e.g. {@code streembit_fenced_writes_total}) of {@code replica}. */
    public static double counter(GatewayProcess replica, String name) throws IOException, InterruptedException {
        double sum = 0;
        for (String line : replica.getOk("/q/metrics").split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** Which live replica follows each device; a device followed by two maps to both (joined by ","). */
    public Map<String, String> followers() throws IOException, InterruptedException {
        Map<String, String> by = new HashMap<>();
        for (int i = 0; i < replicas.size(); i++) {
            GatewayProcess replica = replicas.get(i);
            if (!replica.alive()) {
                continue;
            }
            for (String device : followed(replica)) {
                by.merge(device, "replica-" + i, (a, b) -> a + "," + b);
            }
        }
        return by;
    }

    @Override
    public void close() {
        for (GatewayProcess replica : replicas) {
            replica.close();
        }
    }
}
