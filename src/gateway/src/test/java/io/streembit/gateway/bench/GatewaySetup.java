package io.streembit.gateway.bench;

import io.streembit.gateway.testing.EmbeddedPostgres;
import io.streembit.gateway.testing.GatewayProcess;
import io.streembit.gateway.testing.Ports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway under test's configuration, as system properties of its process: PostgreSQL sink
 * only (no Kafka, no portal configured), a key generated on first start in a temporary directory,
 * the harness's DHT nodes as seeds, free HTTP and DHT ports, the repository's camel-routes/, and
 * whatever {@code --gateway-prop} adds.
 */
final class GatewaySetup {
    static final String PASSCODE = "bench-Passcode-42";

    private GatewaySetup() {}

    static GatewayProcess create(
            BenchOptions options, EmbeddedPostgres pg, List<String> seeds, Path workDir, Path log) {
        return create(
                options.jar(),
                options.gatewayHeap(),
                options.gatewayJvmOptions(),
                options.routesDir(),
                options.gatewayProps(),
                pg,
                seeds,
                workDir,
                log);
    }

    /** The same for any harness: the packaged jar, its -Xmx and other JVM options, the routes directory and the extra properties. */
    static GatewayProcess create(
            Path jar,
            String heap,
            List<String> jvmOptions,
            Path routesDir,
            Map<String, String> extra,
            EmbeddedPostgres pg,
            List<String> seeds,
            Path workDir,
            Path log) {
        int[] ports = Ports.free(2);
        Map<String, String> props = new LinkedHashMap<>();
        props.put("quarkus.http.host", "127.0.0.1");
        props.put("quarkus.http.port", String.valueOf(ports[0]));
        props.put("quarkus.datasource.jdbc.url", pg.jdbcUrl());
        props.put("quarkus.datasource.username", pg.user());
        props.put("quarkus.datasource.password", pg.password());
        props.put("streembit.key.file", workDir.resolve("gateway.key").toString());
        props.put("streembit.key.passcode", PASSCODE);
        props.put("streembit.key.generate", "true");
        props.put("streembit.dht.host", "127.0.0.1");
        props.put("streembit.dht.port", String.valueOf(ports[1]));
        for (int i = 0; i < seeds.size(); i++) {
            props.put("streembit.dht.seeds[" + i + "]", seeds.get(i));
        }
        props.put("streembit.routes.dir", routesDir.toString());
        props.putAll(extra);
        return new GatewayProcess(jar, heap, jvmOptions, props, workDir, log);
    }

    static Path tempDir() throws IOException {
        return Files.createTempDirectory("streembit-bench-gateway-");
    }
}
