package io.streembit.gateway.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * k8s/ as the cluster would see it: the manifests, the Secrets and ConfigMaps docs/deploy.md has
 * the operator create, and the environment each container gets (secret values are placeholders).
 */
final class Cluster {
    static final String NAMESPACE = "iot";
    static final PodEnvironment.Pod GATEWAY_POD =
            new PodEnvironment.Pod("streembit-gateway-6f7c9d8b5-q2x7v", NAMESPACE, "10.244.1.17");
    static final PodEnvironment.Pod SEED_POD = new PodEnvironment.Pod("streembit-seed-1", NAMESPACE, "10.244.2.9");
    static final PodEnvironment.Pod SIM_POD =
            new PodEnvironment.Pod("streembit-sim-5d8f7c6b9-m4k2p", NAMESPACE, "10.244.3.4");

    final Manifests manifests;
    final DeployDocs docs = DeployDocs.read();

    Cluster(Manifests manifests) {
        this.manifests = manifests;
    }

    static Cluster k8s() {
        return new Cluster(Manifests.load(Repository.K8S));
    }

    static Cluster simulator() {
        return new Cluster(Manifests.load(Repository.SIMULATOR));
    }

    JsonNode gateway() {
        return manifests.object("Deployment", "streembit-gateway");
    }

    JsonNode gatewayContainer() {
        return Workloads.container(gateway(), "gateway");
    }

    JsonNode seeds() {
        return manifests.object("StatefulSet", "streembit-seed");
    }

    JsonNode seedContainer() {
        return Workloads.container(seeds(), "node");
    }

    /** A container's environment, with "<secret NAME/KEY>" for the keys of the Secrets deploy.md creates. */
    Map<String, String> env(JsonNode container, PodEnvironment.Pod pod) {
        return PodEnvironment.of(
                container,
                pod,
                (name, key) -> secretKeys(name).contains(key) ? secret(name, key) : null,
                name -> manifests.configMapGenerators().stream()
                                .anyMatch(g -> g.name().equals(name))
                        ? manifests.configMapGenerator(name).data()
                        : null);
    }

    List<String> commandLine(JsonNode container, PodEnvironment.Pod pod) {
        return PodEnvironment.commandLine(container, env(container, pod));
    }

    Set<String> secretKeys(String name) {
        return docs.secrets().getOrDefault(name, Set.of());
    }

    static String secret(String name, String key) {
        return "<secret " + name + "/" + key + ">";
    }

    /** The stable DNS name of pod {@code ordinal} of the seeds' StatefulSet. */
    String seedName(int ordinal) {
        String set = seeds().path("metadata").path("name").asText();
        return set + "-" + ordinal + "."
                + seeds().path("spec").path("serviceName").asText() + "." + NAMESPACE + ".svc";
    }

    /**
     * A list of seeds to join through: stable names of seeds that exist (ordinal below the
     * replicas) with their port, no one twice, and at least two, so that one down leaves another.
     */
    void assertSeedList(List<String> seeds, String what) {
        int replicas = seeds().path("spec").path("replicas").asInt();
        List<String> stable = IntStream.range(0, replicas)
                .mapToObj(i -> seedName(i) + ":" + seedPort())
                .toList();
        assertThat(seeds)
                .as(what + ": the seeds' stable names and port")
                .isNotNull()
                .doesNotHaveDuplicates()
                .hasSizeGreaterThanOrEqualTo(Math.min(2, replicas))
                .allSatisfy(seed -> assertThat(stable).as(what).contains(seed));
    }

    int seedPort() {
        return Workloads.ports(seedContainer()).get("dht");
    }
}
