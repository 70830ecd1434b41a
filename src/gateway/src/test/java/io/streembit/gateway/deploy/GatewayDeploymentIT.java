package io.streembit.gateway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streembit.gateway.security.ApiKey;
import io.streembit.gateway.testing.DhtTestNetwork;
import io.streembit.gateway.testing.EmbeddedPostgres;
import io.streembit.gateway.testing.GatewayProcess;
import io.streembit.gateway.testing.KafkaBroker;
import io.streembit.gateway.testing.Ports;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.keyfile.KdfParams;
import io.streembit.protocol.keyfile.KeyFile;
import io.streembit.protocol.offer.ContactOffers;
import io.streembit.protocol.offer.VerifiedContactOffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway image run as Kubernetes would run it, without Docker or Kubernetes, after the
 * package phase: its file system laid out by docker/gateway.Dockerfile's COPY instructions from
 * the real build; the Secrets and the routes ConfigMap of k8s/gateway-deployment.yaml mounted as
 * the kubelet mounts volumes; its environment the image's ENV plus the container's, resolved by the
 * kubelet's rules; started as run-java.sh starts it (JAVA_APP_JAR, JAVA_OPTS_APPEND, half the memory
 * limit as heap). What points at the cluster is replaced: PostgreSQL and Kafka (in gateway.env), the
 * seeds (a DHT network of as many nodes as the StatefulSet has replicas) and the fixed ports and
 * listen address. Then the probes must pass on the manifest's paths, the replica must have joined
 * the cluster's group under its pod name and taken the shards (it is the only member), the offer
 * must name the Service, the API key from the mounted file must be taken, the image's HEALTHCHECK
 * command must pass, the DHT node must run with a key of its own made in the pod's volume, and
 * nothing may have been written outside the pod's emptyDir volumes (the manifest's read-only root
 * file system).
 */
class GatewayDeploymentIT {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] adminKey = HexFormat.of().formatHex(bytes(32)).getBytes(StandardCharsets.UTF_8);

    @Test
    void theImageStartedAsTheDeploymentStartsItBecomesReady() throws Exception {
        Path work = Files.createTempDirectory("gateway-deployment-it");
        ContainerFileSystem container = new ContainerFileSystem(Files.createDirectories(work.resolve("root")));
        Dockerfile image = Dockerfile.read(Repository.GATEWAY_DOCKERFILE);
        container.copy(image, Repository.ROOT);
        Path jar = container.path(image.env().get("JAVA_APP_JAR"));
        assertThat(jar).isRegularFile();

        Cluster cluster = Cluster.k8s();
        JsonNode gateway = cluster.gateway();
        JsonNode spec = cluster.gatewayContainer();
        int replicas = cluster.seeds().path("spec").path("replicas").asInt();
        try (EmbeddedPostgres pg = EmbeddedPostgres.startNew();
                KafkaBroker kafka = KafkaBroker.startNew();
                DhtTestNetwork seeds = new DhtTestNetwork(replicas)) {
            Map<String, Map<String, byte[]>> secrets = secrets(pg, cluster);
            Map<String, Map<String, String>> configMaps = new LinkedHashMap<>();
            for (Manifests.ConfigMapGenerator generator : cluster.manifests.configMapGenerators()) {
                configMaps.put(generator.name(), new LinkedHashMap<>(generator.data()));
            }
            // the operator's gateway.env: this PostgreSQL, this Kafka
            Map<String, String> site = configMaps.get("streembit-gateway-config");
            site.put("QUARKUS_DATASOURCE_JDBC_URL", pg.jdbcUrl());
            site.put("QUARKUS_DATASOURCE_USERNAME", pg.user());
            assertThat(site).containsKey("STREEMBIT_CLUSTER_BOOTSTRAP_SERVERS");
            site.replaceAll((name, value) -> name.endsWith("_BOOTSTRAP_SERVERS") ? kafka.bootstrapServers() : value);
            mountVolumes(container, gateway, spec, secrets, configMaps);

            Map<String, String> env = new LinkedHashMap<>(image.env());
            env.putAll(PodEnvironment.of(
                    spec,
                    Cluster.GATEWAY_POD,
                    (name, key) ->
                            secrets.containsKey(name) && secrets.get(name).containsKey(key)
                                    ? new String(secrets.get(name).get(key), StandardCharsets.UTF_8)
                                    : null,
                    configMaps::get));
            String advertised = env.get("STREEMBIT_DHT_ADVERTISED_HOST");
            int[] ports = Ports.free(2);
            env.put("STREEMBIT_DHT_SEEDS", String.join(",", seeds.seeds()));
            env.put("STREEMBIT_DHT_HOST", "127.0.0.1");
            env.put("STREEMBIT_DHT_PORT", String.valueOf(ports[1]));
            env.put("QUARKUS_HTTP_PORT", String.valueOf(ports[0]));
            env.replaceAll((name, value) ->
                    value.startsWith("/") ? container.path(value).toString() : value);

            List<String> jvm = new ArrayList<>(RunJava.gcOptions(image.env()));
            jvm.addAll(Dockerfile.words(image.env().getOrDefault("JAVA_OPTS_APPEND", "")));
            Path tmp = Files.createDirectories(container.path(Workloads.mountPath(spec, "tmp")));
            jvm.add("-Djava.io.tmpdir=" + tmp);
            // the base image's home and working directory, read-only like the rest (readOnlyRootFilesystem)
            Path home = Files.createDirectories(container.path("/home/default"));
            jvm.add("-Duser.home=" + home);
            env.put("HOME", home.toString());
            List<Path> emptyDirs = new ArrayList<>();
            for (JsonNode volume : Workloads.podSpec(gateway).path("volumes")) {
                if (volume.has("emptyDir")) {
                    emptyDirs.add(Files.createDirectories(container.path(
                            Workloads.mountPath(spec, volume.path("name").asText()))));
                }
            }
            Map<Path, Long> before = files(container.path("/"), emptyDirs);
            try (GatewayProcess process = GatewayProcess.withEnvironment(
                    jar, heap(spec), jvm, env, ports[0], home, work.resolve("gateway.log"))) {
                process.start();
                String ready =
                        spec.path("readinessProbe").path("httpGet").path("path").asText();
                awaitOk(process, ready, Duration.ofSeconds(120));
                Map<String, JsonNode> checks = new LinkedHashMap<>();
                for (JsonNode check : new ObjectMapper()
                        .readTree(process.getWith(ready, "Accept", "application/json")
                                .body())
                        .path("checks")) {
                    checks.put(check.path("name").asText(), check.path("data"));
                }
                JsonNode dht = checks.get("streembit-dht");
                assertThat(dht).as("the streembit-dht readiness check").isNotNull();
                assertThat(dht.path("joined").asBoolean())
                        .as("joined through the seeds")
                        .isTrue();
                assertThat(dht.path("telemetryRoute").asBoolean())
                        .as("the routes of the mounted ConfigMap run")
                        .isTrue();
                JsonNode member = checks.get("streembit-cluster");
                assertThat(member).as("the streembit-cluster readiness check").isNotNull();
                assertThat(member.path("member").asText())
                        .as("member id: the pod name")
                        .isEqualTo(Cluster.GATEWAY_POD.name());
                assertThat(member.path("shards").asInt())
                        .as("the only member owns every shard")
                        .isEqualTo(GatewaySettings.defaults().cluster().shards());
                for (String probe : List.of("livenessProbe", "startupProbe")) {
                    assertThat(process.getWith(
                                            spec.path(probe)
                                                    .path("httpGet")
                                                    .path("path")
                                                    .asText(),
                                            "Accept",
                                            "*/*")
                                    .statusCode())
                            .as(probe)
                            .isEqualTo(200);
                }
                String metrics = gateway.path("spec")
                        .path("template")
                        .path("metadata")
                        .path("annotations")
                        .path("prometheus.io/path")
                        .asText();
                assertThat(process.getWith(metrics, "Accept", "text/plain").body())
                        .contains("streembit_ingest_in_flight");

                VerifiedContactOffer offer =
                        ContactOffers.parse(process.getWith("/api/gateway/offer", "Accept", "text/plain")
                                .body());
                assertThat(offer.host())
                        .isEqualTo(advertised)
                        .isEqualTo("streembit-gateway." + Cluster.NAMESPACE + ".svc");
                assertThat(offer.port()).isEqualTo(ports[1]);
                assertThat(offer.publicKey().hex())
                        .isEqualTo(KeyFile.parse(
                                        secrets.get("streembit-gateway-key").get("gateway.key"))
                                .publicKey()
                                .hex());
                assertThat(process.getWith("/api/devices", "X-API-Key", new String(adminKey, StandardCharsets.UTF_8))
                                .statusCode())
                        .as("the API key of the mounted api-keys.json")
                        .isEqualTo(200);

                Dockerfile.Healthcheck check = image.healthcheck();
                assertThat(run(check.command(), Map.of("QUARKUS_HTTP_PORT", String.valueOf(ports[0]))))
                        .as("HEALTHCHECK against the running gateway")
                        .isZero();
                assertThat(run(check.command(), Map.of("QUARKUS_HTTP_PORT", String.valueOf(Ports.free()))))
                        .as("HEALTHCHECK against a closed port")
                        .isNotZero();
                Path nodeKey = Path.of(env.get("STREEMBIT_DHT_NODE_KEY_FILE"));
                assertThat(emptyDirs)
                        .as("the node key is made in a volume of the pod")
                        .anyMatch(nodeKey::startsWith);
                assertThat(KeyFile.read(nodeKey).publicKey().hex())
                        .as("the DHT node's key is its own, not the gateway key every replica shares")
                        .isNotEqualTo(offer.publicKey().hex());
                assertThat(files(container.path("/"), emptyDirs))
                        .as("the gateway writes nothing outside its emptyDir volumes (the manifest's"
                                + " readOnlyRootFilesystem)")
                        .isEqualTo(before);
            }
        }
        deleteTree(work); // kept when the test fails, for the gateway's log
    }

    /** The Secrets as deploy.md makes them: a key from `streembit key new`, API keys as digests. */
    private Map<String, Map<String, byte[]>> secrets(EmbeddedPostgres pg, Cluster cluster) throws Exception {
        String passcode = "deployment-IT-42";
        KeyFile key =
                KeyFile.create(Identity.generate(RANDOM), passcode.toCharArray(), new KdfParams(1024, 1, 1), RANDOM);
        String digest = HexFormat.of().formatHex(ApiKey.sha256(new String(adminKey, StandardCharsets.UTF_8)));
        Map<String, Map<String, byte[]>> secrets = Map.of(
                "streembit-gateway-key", Map.of("gateway.key", key.toBytes(), "passcode", utf8(passcode)),
                "streembit-api-keys",
                        Map.of(
                                "api-keys.json",
                                utf8("[{\"name\": \"ops\", \"sha256\": \"" + digest + "\", \"roles\": [\"admin\"]}]")),
                "streembit-db", Map.of("password", utf8(pg.password())));
        secrets.forEach((name, keys) -> assertThat(cluster.secretKeys(name))
                .as("deploy.md's Secret " + name)
                .containsExactlyInAnyOrderElementsOf(keys.keySet()));
        return secrets;
    }

    /** Each Secret and ConfigMap volume the container mounts, its items only when it lists items. */
    private static void mountVolumes(
            ContainerFileSystem container,
            JsonNode workload,
            JsonNode spec,
            Map<String, Map<String, byte[]>> secrets,
            Map<String, Map<String, String>> configMaps)
            throws Exception {
        for (JsonNode volume : Workloads.podSpec(workload).path("volumes")) {
            Map<String, byte[]> data = new LinkedHashMap<>();
            JsonNode source;
            if (volume.has("secret")) {
                source = volume.path("secret");
                data.putAll(secrets.get(source.path("secretName").asText()));
            } else if (volume.has("configMap")) {
                source = volume.path("configMap");
                configMaps.get(source.path("name").asText()).forEach((k, v) -> data.put(k, utf8(v)));
            } else {
                continue;
            }
            Map<String, byte[]> files = new LinkedHashMap<>();
            if (source.has("items")) {
                source.path("items")
                        .forEach(item -> files.put(
                                item.path("path").asText(),
                                data.get(item.path("key").asText())));
            } else {
                files.putAll(data);
            }
            container.mount(Workloads.mountPath(spec, volume.path("name").asText()), files);
        }
    }

    /** run-java.sh's default: half the container's memory limit. */
    private static String heap(JsonNode spec) {
        String limit = spec.path("resources").path("limits").path("memory").asText();
        long mib = limit.endsWith("Gi")
                ? Long.parseLong(limit.replace("Gi", "")) * 1024
                : Long.parseLong(limit.replace("Mi", ""));
        return mib / 2 + "m";
    }

    private static void awaitOk(GatewayProcess process, String path, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int status = -1;
        while (System.nanoTime() < deadline) {
            assertThat(process.alive())
                    .as("the gateway exited during start-up; see " + process.log())
                    .isTrue();
            try {
                HttpResponse<String> response = process.getWith(path, "Accept", "application/json");
                status = response.statusCode();
                if (status == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // keep waiting
            }
            Thread.sleep(250);
        }
        throw new AssertionError(path + " answered " + status + " after " + timeout.toSeconds() + " s; see "
                + process.log() + "\n" + Files.readString(process.log()));
    }

    /** Runs a command (the HEALTHCHECK's) with these variables; its exit status. */
    private static int run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process p = builder.start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    /** Every file below {@code root} but those below one of {@code except}, with its modification time. */
    private static Map<Path, Long> files(Path root, List<Path> except) throws IOException {
        Map<Path, Long> files = new TreeMap<>();
        try (var paths = Files.walk(root)) {
            for (Path path :
                    paths.filter(p -> except.stream().noneMatch(p::startsWith)).toList()) {
                files.put(
                        root.relativize(path),
                        Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS)
                                .toMillis());
            }
        }
        return files;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
