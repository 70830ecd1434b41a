package io.streembit.gateway.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading pod templates of Deployments and StatefulSets, as the deployment tests need it. */
final class Workloads {
    private Workloads() {}

    static JsonNode podSpec(JsonNode workload) {
        return workload.path("spec").path("template").path("spec");
    }

    static Map<String, String> podLabels(JsonNode workload) {
        return strings(workload.path("spec").path("template").path("metadata").path("labels"));
    }

    /** Init containers, then containers. */
    static List<JsonNode> containers(JsonNode workload) {
        List<JsonNode> all = new ArrayList<>();
        podSpec(workload).path("initContainers").forEach(all::add);
        podSpec(workload).path("containers").forEach(all::add);
        return all;
    }

    static JsonNode container(JsonNode workload, String name) {
        return containers(workload).stream()
                .filter(c -> c.path("name").asText().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    static JsonNode volume(JsonNode workload, String name) {
        for (JsonNode volume : podSpec(workload).path("volumes")) {
            if (volume.path("name").asText().equals(name)) {
                return volume;
            }
        }
        for (JsonNode claim : workload.path("spec").path("volumeClaimTemplates")) {
            if (claim.path("metadata").path("name").asText().equals(name)) {
                return claim;
            }
        }
        throw new AssertionError("no volume " + name);
    }

    /** The volume whose source (secret, configMap, persistentVolumeClaim) names {@code source}. */
    static String volumeNamed(JsonNode workload, String type, String field, String source) {
        for (JsonNode volume : podSpec(workload).path("volumes")) {
            if (volume.path(type).path(field).asText().equals(source)) {
                return volume.path("name").asText();
            }
        }
        throw new AssertionError("no " + type + " volume of " + source);
    }

    static String mountPath(JsonNode container, String volume) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.path("name").asText().equals(volume)) {
                return mount.path("mountPath").asText();
            }
        }
        throw new AssertionError("container " + container.path("name").asText() + " does not mount " + volume);
    }

    /** Container port name to number. */
    static Map<String, Integer> ports(JsonNode container) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        container
                .path("ports")
                .forEach(p -> ports.put(
                        p.path("name").asText(), p.path("containerPort").asInt()));
        return ports;
    }

    /** {@code --name=value} arguments; each name to its values in order. */
    static Map<String, List<String>> options(List<String> args) {
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=")) {
                int eq = arg.indexOf('=');
                options.computeIfAbsent(arg.substring(2, eq), n -> new ArrayList<>())
                        .add(arg.substring(eq + 1));
            }
        }
        return options;
    }

    static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    /** Whether every label of the selector is on the pods. */
    static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }
}
