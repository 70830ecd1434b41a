package io.streembit.gateway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What holds for every object of k8s/ (and k8s/simulator/): readable by kustomize, namespace-free,
 * selectors that select, Services that reach named ports, budgets, resources, users, and the
 * Secrets, ConfigMaps and images the operator makes by following docs/deploy.md.
 */
class KubernetesManifestsTest {
    private final Cluster k8s = Cluster.k8s();
    private final Cluster simulator = Cluster.simulator();

    @Test
    void kustomizationHoldsTheSeedsTheGatewayAndTheirConfiguration() {
        List<String> objects = k8s.manifests.resources().stream()
                .map(r -> r.kind() + "/" + r.name())
                .toList();
        assertThat(objects)
                .containsExactlyInAnyOrder(
                        "Service/streembit-seed",
                        "StatefulSet/streembit-seed",
                        "PodDisruptionBudget/streembit-seed",
                        "Service/streembit-gateway",
                        "Service/streembit-gateway-http",
                        "Deployment/streembit-gateway",
                        "PodDisruptionBudget/streembit-gateway");
        assertThat(k8s.manifests.configMapGenerators())
                .extracting(Manifests.ConfigMapGenerator::name)
                .containsExactlyInAnyOrder("streembit-gateway-config", "streembit-routes");
        assertThat(k8s.manifests.kustomizations()).contains(Manifests.kustomizationFile(Repository.ROUTES));
    }

    @Test
    void noObjectNamesANamespace() {
        for (Cluster cluster : List.of(k8s, simulator)) {
            for (Manifests.Resource resource : cluster.manifests.resources()) {
                assertThat(resource.object().path("apiVersion").asText())
                        .as(resource.file().toString())
                        .isNotEmpty();
                assertThat(resource.name()).as(resource.file().toString()).isNotEmpty();
                assertThat(resource.object().path("metadata").has("namespace"))
                        .as(resource.kind() + " " + resource.name())
                        .isFalse();
            }
            for (var file : cluster.manifests.kustomizations()) {
                assertThat(Manifests.read(file).get(0).has("namespace"))
                        .as(file.toString())
                        .isFalse();
            }
        }
    }

    @Test
    void workloadSelectorsSelectTheirOwnPods() {
        for (JsonNode workload : workloads()) {
            Map<String, String> selector =
                    Workloads.strings(workload.path("spec").path("selector").path("matchLabels"));
            assertThat(Workloads.selects(selector, Workloads.podLabels(workload)))
                    .as(name(workload))
                    .isTrue();
        }
    }

    /** Each Service selects exactly one workload's pods and reaches a named port of the same number. */
    @Test
    void servicesReachNamedContainerPorts() {
        for (JsonNode service : k8s.manifests.objects("Service")) {
            Map<String, String> selector =
                    Workloads.strings(service.path("spec").path("selector"));
            List<JsonNode> selected = workloads().stream()
                    .filter(w -> Workloads.selects(selector, Workloads.podLabels(w)))
                    .toList();
            assertThat(selected).as(name(service)).hasSize(1);
            Map<String, Integer> ports = new LinkedHashMap<>();
            Workloads.containers(selected.get(0)).forEach(c -> ports.putAll(Workloads.ports(c)));
            for (JsonNode port : service.path("spec").path("ports")) {
                String target = port.path("targetPort").asText();
                assertThat(ports)
                        .as(name(service) + " port " + port.path("name").asText())
                        .containsKey(target);
                assertThat(ports.get(target))
                        .as(name(service) + " port " + target)
                        .isEqualTo(port.path("port").asInt());
            }
        }
    }

    /**
     * A budget for the gateway and one for the seeds, each letting a drain evict exactly one pod
     * at a time at the workload's replicas: the gateway keeps two replicas to take the shards over.
     */
    @Test
    void disruptionBudgetsCoverTheGatewayAndTheSeeds() {
        Map<String, JsonNode> covered = new LinkedHashMap<>();
        for (JsonNode budget : k8s.manifests.objects("PodDisruptionBudget")) {
            Map<String, String> selector =
                    Workloads.strings(budget.path("spec").path("selector").path("matchLabels"));
            List<JsonNode> selected = workloads().stream()
                    .filter(w -> Workloads.selects(selector, Workloads.podLabels(w)))
                    .toList();
            assertThat(selected).as(name(budget)).hasSize(1);
            covered.put(name(selected.get(0)), budget.path("spec"));
            JsonNode spec = budget.path("spec");
            assertThat(spec.has("minAvailable") != spec.has("maxUnavailable"))
                    .as(name(budget) + ": one of minAvailable and maxUnavailable")
                    .isTrue();
            int replicas = selected.get(0).path("spec").path("replicas").asInt();
            int evictable = spec.has("maxUnavailable")
                    ? spec.path("maxUnavailable").asInt()
                    : replicas - spec.path("minAvailable").asInt();
            assertThat(evictable)
                    .as(name(budget) + ": pods a drain may evict at once")
                    .isEqualTo(1);
        }
        assertThat(covered).containsOnlyKeys("Deployment/streembit-gateway", "StatefulSet/streembit-seed");
        assertThat(covered.get("Deployment/streembit-gateway")
                        .path("minAvailable")
                        .asInt())
                .isEqualTo(2);
        assertThat(covered.get("StatefulSet/streembit-seed")
                        .path("maxUnavailable")
                        .asInt())
                .isEqualTo(1);
    }

    /**
     * The gateway's replicas and the seeds spread over nodes and zones, so that one node lost takes
     * one of each; only preferred, so that a one-node cluster still schedules them all.
     */
    @Test
    void replicatedWorkloadsSpreadOverNodesWithoutRequiringIt() {
        Set<String> spread = new HashSet<>();
        for (JsonNode workload : workloads()) {
            if (workload.path("spec").path("replicas").asInt() < 2) {
                continue;
            }
            spread.add(name(workload));
            JsonNode pod = Workloads.podSpec(workload);
            Map<String, String> labels = Workloads.podLabels(workload);
            JsonNode antiAffinity = pod.path("affinity").path("podAntiAffinity");
            assertThat(antiAffinity.has("requiredDuringSchedulingIgnoredDuringExecution"))
                    .as(name(workload) + ": a required anti-affinity leaves pods Pending on a small cluster")
                    .isFalse();
            List<String> hostKeys = new ArrayList<>();
            for (JsonNode term : antiAffinity.path("preferredDuringSchedulingIgnoredDuringExecution")) {
                JsonNode affinityTerm = term.path("podAffinityTerm");
                if (Workloads.selects(
                        Workloads.strings(affinityTerm.path("labelSelector").path("matchLabels")), labels)) {
                    hostKeys.add(affinityTerm.path("topologyKey").asText());
                }
            }
            assertThat(hostKeys)
                    .as(name(workload) + ": prefers nodes without another of its pods")
                    .contains("kubernetes.io/hostname");
            JsonNode constraints = pod.path("topologySpreadConstraints");
            assertThat(constraints)
                    .as(name(workload) + " topologySpreadConstraints")
                    .isNotEmpty();
            for (JsonNode constraint : constraints) {
                assertThat(constraint.path("whenUnsatisfiable").asText())
                        .as(name(workload) + " "
                                + constraint.path("topologyKey").asText())
                        .isEqualTo("ScheduleAnyway");
                assertThat(Workloads.selects(
                                Workloads.strings(
                                        constraint.path("labelSelector").path("matchLabels")),
                                labels))
                        .as(name(workload) + ": spreads its own pods")
                        .isTrue();
            }
        }
        assertThat(spread).containsExactlyInAnyOrder("Deployment/streembit-gateway", "StatefulSet/streembit-seed");
    }

    /** Requests for the scheduler, a memory limit for run-java.sh to size the heap by. */
    @Test
    void everyContainerHasRequestsAndAMemoryLimit() {
        for (JsonNode workload : allWorkloads()) {
            for (JsonNode container : Workloads.containers(workload)) {
                JsonNode resources = container.path("resources");
                String what =
                        name(workload) + " container " + container.path("name").asText();
                assertThat(resources.path("requests").has("cpu")).as(what).isTrue();
                assertThat(resources.path("requests").has("memory")).as(what).isTrue();
                assertThat(resources.path("limits").has("memory")).as(what).isTrue();
            }
        }
    }

    /** Pods run as the images' user, not root, without privilege escalation; a read-only root has a writable /tmp. */
    @Test
    void podsRunAsTheImageUserWithoutPrivileges() {
        String gatewayUser = Dockerfile.read(Repository.GATEWAY_DOCKERFILE).user();
        String nodeUser = Dockerfile.read(Repository.NODE_DOCKERFILE).user();
        for (JsonNode workload : allWorkloads()) {
            JsonNode pod = Workloads.podSpec(workload).path("securityContext");
            boolean gateway =
                    Workloads.containers(workload).get(0).path("image").asText().startsWith("streembit-gateway");
            assertThat(pod.path("runAsNonRoot").asBoolean()).as(name(workload)).isTrue();
            assertThat(pod.path("runAsUser").asText()).as(name(workload)).isEqualTo(gateway ? gatewayUser : nodeUser);
            for (JsonNode container : Workloads.containers(workload)) {
                JsonNode security = container.path("securityContext");
                String what =
                        name(workload) + " container " + container.path("name").asText();
                assertThat(security.path("allowPrivilegeEscalation").isBoolean()
                                && !security.path("allowPrivilegeEscalation").asBoolean())
                        .as(what + " allowPrivilegeEscalation: false")
                        .isTrue();
                if (security.path("readOnlyRootFilesystem").asBoolean()) {
                    String tmp = Workloads.mountPath(container, "tmp");
                    assertThat(tmp).as(what).isEqualTo("/tmp");
                    assertThat(Workloads.volume(workload, "tmp").has("emptyDir"))
                            .as(what)
                            .isTrue();
                }
            }
        }
    }

    /** The Secrets and ConfigMaps the pods need are generated here or created by deploy.md's commands, with those keys. */
    @Test
    void secretsAndConfigMapsAreTheOnesDeployMdCreates() {
        for (Cluster cluster : List.of(k8s, simulator)) {
            for (JsonNode workload :
                    concat(cluster.manifests.objects("Deployment"), cluster.manifests.objects("StatefulSet"))) {
                for (JsonNode volume : Workloads.podSpec(workload).path("volumes")) {
                    if (volume.has("secret")) {
                        String secret = volume.path("secret").path("secretName").asText();
                        assertThat(cluster.docs.secrets())
                                .as("deploy.md creates the Secret " + secret)
                                .containsKey(secret);
                        volume.path("secret")
                                .path("items")
                                .forEach(item -> assertThat(cluster.secretKeys(secret))
                                        .as("Secret " + secret)
                                        .contains(item.path("key").asText()));
                    }
                    if (volume.has("configMap")) {
                        String map = volume.path("configMap").path("name").asText();
                        assertThat(cluster.manifests.hasConfigMap(map)
                                        || cluster.docs.configMaps().containsKey(map))
                                .as("ConfigMap " + map + " is generated or created by deploy.md")
                                .isTrue();
                    }
                }
                PodEnvironment.Pod pod = new PodEnvironment.Pod("pod-0", Cluster.NAMESPACE, "10.0.0.1");
                Workloads.containers(workload)
                        .forEach(c -> cluster.env(c, pod)); // fails on a missing Secret key or ConfigMap
            }
        }
        assertThat(k8s.docs.configMaps()).containsKey("streembit-gateway-offer");
    }

    /** The images are the ones deploy.md builds from the Dockerfiles, and the kustomization can re-point them. */
    @Test
    void imagesAreTheOnesBuiltFromTheDockerfiles() {
        Map<String, String> built = DeployDocs.read().images();
        assertThat(built).containsKeys("docker/gateway.Dockerfile", "docker/node.Dockerfile");
        for (Cluster cluster : List.of(k8s, simulator)) {
            Set<String> kustomized = new HashSet<>();
            cluster.manifests
                    .images()
                    .forEach(i -> kustomized.add(i.path("name").asText()));
            for (JsonNode workload :
                    concat(cluster.manifests.objects("Deployment"), cluster.manifests.objects("StatefulSet"))) {
                for (JsonNode container : Workloads.containers(workload)) {
                    String image = container.path("image").asText();
                    assertThat(kustomized)
                            .as(name(workload) + " image " + image)
                            .contains(image);
                    String dockerfile = container.path("name").asText().equals("gateway")
                            ? "docker/gateway.Dockerfile"
                            : "docker/node.Dockerfile";
                    assertThat(image)
                            .as(name(workload) + " is built from " + dockerfile)
                            .isEqualTo(built.get(dockerfile));
                }
            }
        }
    }

    /** The simulator joins through the seeds' stable names and reads the offer ConfigMap deploy.md creates. */
    @Test
    void simulatorJoinsTheSeedsAndReadsTheOffer() {
        JsonNode sim = simulator.manifests.object("Deployment", "streembit-sim");
        JsonNode container = Workloads.container(sim, "simulate");
        Map<String, List<String>> options = Workloads.options(simulator.commandLine(container, Cluster.SIM_POD));
        k8s.assertSeedList(options.get("seed"), "simulate --seed");
        assertThat(options.get("host")).containsExactly(Cluster.SIM_POD.ip());
        String offerVolume = Workloads.volumeNamed(sim, "configMap", "name", "streembit-gateway-offer");
        String offerKey = simulator
                .docs
                .configMaps()
                .get("streembit-gateway-offer")
                .iterator()
                .next();
        assertThat(options.get("gateway-offer"))
                .containsExactly(Workloads.mountPath(container, offerVolume) + "/" + offerKey);
        String data = Workloads.mountPath(
                container, Workloads.volumeNamed(sim, "persistentVolumeClaim", "claimName", "streembit-sim"));
        assertThat(options.get("keys").get(0)).startsWith(data + "/");
        assertThat(options.get("offers-out").get(0)).startsWith(data + "/");
        assertThat(simulator.manifests.object("PersistentVolumeClaim", "streembit-sim"))
                .isNotNull();
        assertThat(sim.path("spec").path("strategy").path("type").asText()).isEqualTo("Recreate");
    }

    private List<JsonNode> workloads() {
        return concat(k8s.manifests.objects("Deployment"), k8s.manifests.objects("StatefulSet"));
    }

    private List<JsonNode> allWorkloads() {
        return concat(workloads(), simulator.manifests.objects("Deployment"));
    }

    private static List<JsonNode> concat(List<JsonNode> a, List<JsonNode> b) {
        List<JsonNode> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String name(JsonNode object) {
        return object.path("kind").asText() + "/"
                + object.path("metadata").path("name").asText();
    }
}
