package io.streembit.gateway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * k8s/seed-*.yaml: each seed has a DNS name that stays (StatefulSet + headless Service), an
 * identity and records that stay (its volume), and tells the network the name that stays. That
 * its arguments are a valid {@code streembit node} command line is DeploymentArgsTest's part (src/cli).
 */
class SeedManifestTest {
    private final Cluster cluster = Cluster.k8s();
    private final JsonNode seeds = cluster.seeds();
    private final JsonNode node = cluster.seedContainer();
    private final Map<String, List<String>> options = Workloads.options(cluster.commandLine(node, Cluster.SEED_POD));

    /** The StatefulSet's serviceName is a headless Service selecting it: that is what gives pods DNS names. */
    @Test
    void governingServiceIsHeadlessAndPublishesSeedsBeforeTheyAreReady() {
        String serviceName = seeds.path("spec").path("serviceName").asText();
        JsonNode service = cluster.manifests.object("Service", serviceName);
        assertThat(service.path("spec").path("clusterIP").asText()).isEqualTo("None");
        assertThat(service.path("spec").path("publishNotReadyAddresses").asBoolean())
                .as("seeds starting together must resolve each other")
                .isTrue();
        assertThat(Workloads.selects(
                        Workloads.strings(service.path("spec").path("selector")), Workloads.podLabels(seeds)))
                .isTrue();
        JsonNode port = GatewayManifestTest.port(service, "dht");
        assertThat(port.path("port").asInt()).isEqualTo(cluster.seedPort());
        assertThat(port.path("targetPort").asText()).isEqualTo("dht");
    }

    @Test
    void listensOnTheContainerPortAndAdvertisesItsStableName() {
        assertThat(options.get("port")).containsExactly(String.valueOf(cluster.seedPort()));
        assertThat(options.get("host")).containsExactly("0.0.0.0");
        assertThat(options.get("advertise")).containsExactly(cluster.seedName(1));
        assertThat(Cluster.SEED_POD.name()).endsWith("-1");
    }

    /** Seeds join each other by the names that stay; three, so that a seed down leaves two. */
    @Test
    void joinThroughTheStableNamesOfOtherSeeds() {
        assertThat(seeds.path("spec").path("replicas").asInt()).isGreaterThanOrEqualTo(3);
        cluster.assertSeedList(options.get("seed"), "--seed");
    }

    /** Records and node key on the pod's own claim, the key made there once by the init container. */
    @Test
    void keepsKeyAndRecordsOnItsOwnVolume() {
        JsonNode claim = Workloads.volume(seeds, "data");
        assertThat(claim.path("spec").path("accessModes").get(0).asText()).isEqualTo("ReadWriteOnce");
        assertThat(claim.path("spec")
                        .path("resources")
                        .path("requests")
                        .path("storage")
                        .asText())
                .isNotEmpty();
        Path data = Path.of(Workloads.mountPath(node, "data"));
        assertThat(Path.of(options.get("data").get(0))).startsWithRaw(data);
        Path key = Path.of(options.get("key").get(0));
        assertThat(key).startsWithRaw(data);

        JsonNode init = Workloads.container(seeds, "node-key");
        assertThat(Workloads.mountPath(init, "data")).isEqualTo(data.toString());
        String script = String.join(" ", cluster.commandLine(init, Cluster.SEED_POD));
        assertThat(script).contains("test -f " + key + " ||", "key new --out " + key);
        assertThat(init.path("image").asText()).isEqualTo(node.path("image").asText());
        assertThat(cluster.env(init, Cluster.SEED_POD))
                .containsEntry("STREEMBIT_PASSCODE", Cluster.secret("streembit-seed", "passcode"));
        assertThat(cluster.env(node, Cluster.SEED_POD))
                .containsEntry("STREEMBIT_PASSCODE", Cluster.secret("streembit-seed", "passcode"));
    }

    /** A node has no HTTP endpoint: its probes connect to the DHT port. */
    @Test
    void probesConnectToTheDhtPort() {
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            assertThat(node.path(probe).path("tcpSocket").path("port").asText())
                    .as(probe)
                    .isEqualTo("dht");
        }
    }
}
