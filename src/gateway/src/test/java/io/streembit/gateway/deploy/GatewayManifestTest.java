package io.streembit.gateway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.gateway.config.GatewayConfig;
import io.streembit.gateway.config.SettingsCheck;
import io.streembit.gateway.health.KafkaReadiness;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * k8s/gateway-deployment.yaml against the gateway itself: the container's environment, resolved
 * as the kubelet resolves it, is read through {@link GatewayConfig} (so an unknown variable, a
 * wrong path or port shows as a setting that is not what the manifest means), and its mounts,
 * ports and probes are compared with what that configuration makes the gateway do.
 */
class GatewayManifestTest {
    private static final Path GATEWAY_ENV = Repository.K8S.resolve("gateway.env");

    private final Cluster cluster = Cluster.k8s();
    private final JsonNode gateway = cluster.gateway();
    private final JsonNode container = cluster.gatewayContainer();
    private final Map<String, String> env = cluster.env(container, Cluster.GATEWAY_POD);
    private final GatewayConfig config = GatewaySettings.config(env);

    @Test
    void keyFileIsTheMountedKeyOfTheKeySecretAndNeverGenerated() {
        String volume = Workloads.volumeNamed(gateway, "secret", "secretName", "streembit-gateway-key");
        JsonNode items = Workloads.volume(gateway, volume).path("secret").path("items");
        assertThat(items).hasSize(1);
        assertThat(cluster.secretKeys("streembit-gateway-key"))
                .contains(items.get(0).path("key").asText(), "passcode");
        assertThat(config.key().file())
                .isEqualTo(Path.of(
                        Workloads.mountPath(container, volume),
                        items.get(0).path("path").asText()));
        assertThat(config.key().passcode()).isEqualTo(Cluster.secret("streembit-gateway-key", "passcode"));
        assertThat(config.key().generate())
                .as("a generated key would be a gateway no device knows")
                .isFalse();
    }

    @Test
    void apiKeysFileIsTheMountedKeyOfTheApiKeysSecret() {
        String volume = Workloads.volumeNamed(gateway, "secret", "secretName", "streembit-api-keys");
        JsonNode item =
                Workloads.volume(gateway, volume).path("secret").path("items").get(0);
        assertThat(cluster.secretKeys("streembit-api-keys"))
                .contains(item.path("key").asText());
        assertThat(config.auth().apiKeysFile())
                .contains(Path.of(
                        Workloads.mountPath(container, volume),
                        item.path("path").asText()));
        assertThat(config.auth().enabled()).isTrue();
    }

    /** docs/configuration.md tells where the manifest mounts the API-keys file, and names that path. */
    @Test
    void configurationDocsNameTheMountedApiKeysFile() throws IOException {
        String docs = Files.readString(Repository.CONFIGURATION_DOCS);
        String volume = Workloads.volumeNamed(gateway, "secret", "secretName", "streembit-api-keys");
        assertThat(docs)
                .contains("mounts it at " + Workloads.mountPath(container, volume)
                        + " and sets STREEMBIT_AUTH_API_KEYS_FILE="
                        + config.auth().apiKeysFile().orElseThrow());
    }

    @Test
    void routesConfigMapIsMountedAtTheRoutesDirectory() {
        String volume = Workloads.volumeNamed(gateway, "configMap", "name", "streembit-routes");
        assertThat(Workloads.volume(gateway, volume).path("configMap").has("items"))
                .as("items would leave out the routes not listed")
                .isFalse();
        assertThat(config.routes().dir()).isEqualTo(Workloads.mountPath(container, volume));
        assertThat(cluster.manifests.hasConfigMap("streembit-routes")).isTrue();
    }

    /** Every route file is in the ConfigMap: kustomize has no globs, so a new route must be listed. */
    @Test
    void routesConfigMapHoldsEveryRouteFile() throws IOException {
        Manifests.ConfigMapGenerator routes = cluster.manifests.configMapGenerator("streembit-routes");
        Set<String> files;
        try (var list = Files.list(Repository.ROUTES)) {
            files = new HashSet<>(list.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml"))
                    .toList());
        }
        assertThat(routes.files().keySet()).containsExactlyInAnyOrderElementsOf(files);
        assertThat(routes.dir()).isEqualTo(Repository.ROUTES);
        assertThat(Manifests.kustomizationFile(Repository.ROUTES).getFileName().toString())
                .as("the gateway would load camel-routes/kustomization.yaml as a route")
                .doesNotEndWith(".yaml");
    }

    @Test
    void joinsTheSeedsByTheirStableNamesAndPort() {
        cluster.assertSeedList(config.dht().seeds().orElse(null), "STREEMBIT_DHT_SEEDS");
    }

    /**
     * The offer names the gateway's DHT Service, whose port is the node's own. Not-ready pods stay
     * in it: a replica whose PostgreSQL or Kafka is down still runs a DHT node devices can join through.
     */
    @Test
    void advertisesItsDhtServiceWhichKeepsNotReadyPods() {
        JsonNode service = cluster.manifests.object("Service", "streembit-gateway");
        assertThat(config.dht().advertisedHost()).contains("streembit-gateway." + Cluster.NAMESPACE + ".svc");
        assertThat(Workloads.selects(
                        Workloads.strings(service.path("spec").path("selector")), Workloads.podLabels(gateway)))
                .isTrue();
        assertThat(service.path("spec").path("publishNotReadyAddresses").asBoolean())
                .as("readiness must not take a replica's DHT node out of the Service")
                .isTrue();
        JsonNode dht = port(service, "dht");
        assertThat(dht.path("port").asInt())
                .as("devices and peers dial the port in the contact")
                .isEqualTo(config.dht().port())
                .isEqualTo(Workloads.ports(container).get("dht"));
        assertThat(dht.path("targetPort").asText()).isEqualTo("dht");
        assertThat(service.path("spec").path("ports"))
                .as("HTTP must not reach replicas that are not ready")
                .hasSize(1);
    }

    /** The REST API reaches ready replicas only, through a Service of its own. */
    @Test
    void httpServiceFollowsReadiness() {
        List<JsonNode> http = cluster.manifests.objects("Service").stream()
                .filter(s -> Workloads.selects(
                        Workloads.strings(s.path("spec").path("selector")), Workloads.podLabels(gateway)))
                .filter(s -> s.path("spec")
                        .path("ports")
                        .findValuesAsText("targetPort")
                        .contains("http"))
                .toList();
        assertThat(http).hasSize(1);
        JsonNode service = http.get(0);
        assertThat(service.path("spec").path("publishNotReadyAddresses").asBoolean())
                .isFalse();
        assertThat(service.path("spec").path("ports").findValuesAsText("targetPort"))
                .containsExactly("http");
        assertThat(service.path("metadata").path("name").asText()).isNotEqualTo("streembit-gateway");
    }

    /** Cluster mode, with a Kafka, a group and a topic per namespace, and the pod's name as member. */
    @Test
    void runsInClusterModeWithThePodNameAsMember() {
        assertThat(config.cluster().enabled()).isTrue();
        assertThat(config.cluster().bootstrapServers())
                .as("cluster mode needs Kafka (gateway.env)")
                .isPresent();
        assertThat(config.cluster().groupId()).as("a group per namespace").contains(Cluster.NAMESPACE);
        assertThat(config.cluster().topic()).as("a topic per namespace").contains(Cluster.NAMESPACE);
        assertThat(config.cluster().memberId()).contains(Cluster.GATEWAY_POD.name());
        assertThat(fieldRef("STREEMBIT_CLUSTER_MEMBER_ID"))
                .as("from the downward API, so every replica has its own")
                .isEqualTo("metadata.name");
    }

    /**
     * Each pod has a DHT node key of its own: a file on a volume of the pod itself (an emptyDir),
     * not in a Secret every replica mounts, and not the gateway key.
     */
    @Test
    void eachPodHasANodeKeyOfItsOwn() {
        Path nodeKey = config.dht().nodeKeyFile().orElseThrow();
        assertThat(nodeKey).isNotEqualTo(config.key().file());
        String volume = null;
        for (JsonNode mount : container.path("volumeMounts")) {
            if (nodeKey.startsWith(Path.of(mount.path("mountPath").asText()))) {
                volume = mount.path("name").asText();
            }
        }
        assertThat(volume).as("the node key's directory is a mounted volume").isNotNull();
        assertThat(Workloads.volume(gateway, volume).has("emptyDir"))
                .as("a volume of the pod's own, writable, where the key is made at first start")
                .isTrue();
        assertThat(container
                        .path("securityContext")
                        .path("readOnlyRootFilesystem")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void listensOnEveryAddressOnItsContainerPorts() {
        assertThat(config.dht().host()).isEqualTo("0.0.0.0");
        assertThat(Workloads.ports(container))
                .containsEntry("dht", config.dht().port())
                .containsEntry(
                        "http",
                        Integer.parseInt(
                                env.getOrDefault("QUARKUS_HTTP_PORT", String.valueOf(GatewaySettings.httpPort()))));
        assertThat(env).doesNotContainKey("QUARKUS_HTTP_HOST");
        assertThat(config.dht().networkId())
                .isEqualTo(Workloads.options(cluster.commandLine(cluster.seedContainer(), Cluster.SEED_POD))
                        .getOrDefault(
                                "network",
                                List.of(GatewaySettings.defaults().dht().networkId()))
                        .get(0));
    }

    /** The start's own checks pass: the manifest's settings would not stop the gateway. */
    @Test
    void settingsPassTheChecksAtStart() {
        assertThat(SettingsCheck.problems(config)).isEmpty();
        assertThat(SettingsCheck.problems(GatewaySettings.defaults())).isEmpty();
    }

    /** What the gateway cannot start without: PostgreSQL, its password from a Secret. */
    @Test
    void hasTheRequiredDatabaseSettings() throws IOException {
        assertThat(env.get("QUARKUS_DATASOURCE_JDBC_URL")).startsWith("jdbc:postgresql://");
        assertThat(env)
                .containsKey("QUARKUS_DATASOURCE_USERNAME")
                .containsEntry("QUARKUS_DATASOURCE_PASSWORD", Cluster.secret("streembit-db", "password"));
        assertThat(Manifests.envFile(GATEWAY_ENV).keySet())
                .noneMatch(n -> n.contains("PASSWORD") || n.contains("PASSCODE"));
    }

    /**
     * Every variable set, in the manifest or in gateway.env (also the commented-out examples), is a
     * setting docs/configuration.md documents, or a downward-API variable the others use.
     */
    @Test
    void setsOnlyDocumentedSettings() throws IOException {
        ConfigurationDocs docs = ConfigurationDocs.read();
        Set<String> names = new HashSet<>(Manifests.envFile(GATEWAY_ENV).keySet());
        Matcher commented = Pattern.compile("(?m)^#\\s*([A-Z][A-Z0-9_]*)=").matcher(Files.readString(GATEWAY_ENV));
        while (commented.find()) {
            names.add(commented.group(1));
        }
        container.path("env").forEach(v -> names.add(v.path("name").asText()));
        String manifest = Files.readString(Repository.K8S.resolve("gateway-deployment.yaml"));
        assertThat(names).allSatisfy(name -> {
            if (name.startsWith("POD_")) {
                assertThat(manifest).as(name + " is used").contains("$(" + name + ")");
            } else {
                assertThat(docs.documents(name))
                        .as(name + " is not a setting of docs/configuration.md")
                        .isTrue();
            }
        });
    }

    /** A variable in both would silently lose its gateway.env value (env beats envFrom). */
    @Test
    void siteSettingsAreNotOverriddenByTheManifest() throws IOException {
        Set<String> manifest = new HashSet<>();
        container.path("env").forEach(v -> manifest.add(v.path("name").asText()));
        assertThat(Manifests.envFile(GATEWAY_ENV).keySet()).doesNotContainAnyElementsOf(manifest);
        assertThat(container
                        .path("envFrom")
                        .get(0)
                        .path("configMapRef")
                        .path("name")
                        .asText())
                .isEqualTo("streembit-gateway-config");
        assertThat(cluster.manifests
                        .configMapGenerator("streembit-gateway-config")
                        .envs())
                .containsExactly(GATEWAY_ENV);
    }

    @Test
    void probesAskTheHealthEndpointsOnTheHttpPort() throws Exception {
        assertThat(probe("livenessProbe")).isEqualTo("/q/health/live");
        assertThat(probe("readinessProbe")).isEqualTo("/q/health/ready");
        assertThat(probe("startupProbe")).isEqualTo("/q/health/live");
        Field timeout = KafkaReadiness.class.getDeclaredField("TIMEOUT_MS");
        timeout.setAccessible(true);
        assertThat(container.path("readinessProbe").path("timeoutSeconds").asInt() * 1000)
                .as("the readiness probe must outlast the Kafka check (%d ms + 500)", timeout.getInt(null))
                .isGreaterThan(timeout.getInt(null) + 500);
        JsonNode startup = container.path("startupProbe");
        assertThat(startup.path("periodSeconds").asInt()
                        * startup.path("failureThreshold").asInt())
                .as("seconds for Flyway and the key's Argon2id before liveness counts")
                .isGreaterThanOrEqualTo(120);
    }

    @Test
    void prometheusScrapesTheMetricsEndpoint() {
        Map<String, String> annotations = Workloads.strings(
                gateway.path("spec").path("template").path("metadata").path("annotations"));
        assertThat(annotations)
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/path", "/q/metrics")
                .containsEntry(
                        "prometheus.io/port",
                        String.valueOf(Workloads.ports(container).get("http")));
    }

    /**
     * Three replicas, rolled one at a time: the rollout and the budget never leave fewer than two
     * replicas, and a drain can still evict one.
     */
    @Test
    void runsThreeReplicasRolledOneAtATime() {
        int replicas = gateway.path("spec").path("replicas").asInt();
        assertThat(replicas).isEqualTo(3);
        JsonNode strategy = gateway.path("spec").path("strategy");
        assertThat(strategy.path("type").asText()).isEqualTo("RollingUpdate");
        assertThat(strategy.path("rollingUpdate").path("maxUnavailable").asText())
                .isEqualTo("1");
        assertThat(strategy.path("rollingUpdate").path("maxSurge").asText()).isEqualTo("1");
        JsonNode budget = cluster.manifests.object("PodDisruptionBudget", "streembit-gateway");
        int minAvailable = budget.path("spec").path("minAvailable").asInt();
        assertThat(minAvailable).isEqualTo(2);
        assertThat(replicas
                        - strategy.path("rollingUpdate").path("maxUnavailable").asInt())
                .as("a rollout stays within the budget")
                .isGreaterThanOrEqualTo(minAvailable);
        assertThat(minAvailable).as("a drain can evict a replica").isLessThan(replicas);
    }

    /** The image's own entry point (run-java.sh and JAVA_APP_JAR) starts the gateway. */
    @Test
    void keepsTheImagesEntryPoint() {
        assertThat(container.has("command")).isFalse();
        assertThat(container.has("args")).isFalse();
    }

    /** The downward-API field a variable of the container comes from. */
    private String fieldRef(String variable) {
        for (JsonNode v : container.path("env")) {
            if (v.path("name").asText().equals(variable)) {
                return v.path("valueFrom").path("fieldRef").path("fieldPath").asText();
            }
        }
        throw new AssertionError("the container does not set " + variable);
    }

    private String probe(String name) {
        JsonNode get = container.path(name).path("httpGet");
        assertThat(get.path("port").asText()).as(name + " port").isEqualTo("http");
        return get.path("path").asText();
    }

    static JsonNode port(JsonNode service, String name) {
        for (JsonNode port : service.path("spec").path("ports")) {
            if (port.path("name").asText().equals(name)) {
                return port;
            }
        }
        throw new AssertionError(
                "service " + service.path("metadata").path("name").asText() + " has no port " + name);
    }
}
