package io.streembit.gateway.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A container's environment and arguments as the kubelet makes them: {@code envFrom} first, then
 * {@code env} in order (a later name wins); {@code fieldRef}, {@code secretKeyRef} and
 * {@code configMapKeyRef} looked up; {@code $(NAME)} in values replaced by a variable defined
 * before it, and in {@code command} and {@code args} by any of them ({@code $$} is a literal
 * {@code $}). Where the kubelet would silently leave an unknown {@code $(NAME)} as it is, this
 * fails: that is always a mistake in a manifest.
 */
final class PodEnvironment {
    /** What the downward API tells a pod about itself. */
    record Pod(String name, String namespace, String ip) {}

    private PodEnvironment() {}

    /**
     * @param secrets    (Secret name, key) to value; null when the Secret has no such key
     * @param configMaps ConfigMap name to its data; null when there is no such ConfigMap
     */
    static Map<String, String> of(
            JsonNode container,
            Pod pod,
            BiFunction<String, String, String> secrets,
            Function<String, Map<String, String>> configMaps) {
        String where = "container " + container.path("name").asText();
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            if (from.has("configMapRef")) {
                String name = from.path("configMapRef").path("name").asText();
                Map<String, String> data = configMaps.apply(name);
                if (data == null) {
                    throw new AssertionError(where + ": envFrom names the ConfigMap " + name + ", which is not there");
                }
                env.putAll(data);
            } else {
                throw new AssertionError(where + ": envFrom other than configMapRef: " + from);
            }
        }
        for (JsonNode variable : container.path("env")) {
            String name = variable.path("name").asText();
            String value;
            if (variable.has("value")) {
                value = expand(variable.path("value").asText(), env, where + " env " + name);
            } else {
                JsonNode from = variable.path("valueFrom");
                if (from.has("fieldRef")) {
                    String field = from.path("fieldRef").path("fieldPath").asText();
                    value = switch (field) {
                        case "metadata.name" -> pod.name();
                        case "metadata.namespace" -> pod.namespace();
                        case "status.podIP" -> pod.ip();
                        default -> throw new AssertionError(where + " env " + name + ": unexpected fieldPath " + field);
                    };
                } else if (from.has("secretKeyRef")) {
                    String secret = from.path("secretKeyRef").path("name").asText();
                    String key = from.path("secretKeyRef").path("key").asText();
                    value = secrets.apply(secret, key);
                    if (value == null) {
                        throw new AssertionError(
                                where + " env " + name + ": the Secret " + secret + " has no key " + key);
                    }
                } else if (from.has("configMapKeyRef")) {
                    String map = from.path("configMapKeyRef").path("name").asText();
                    String key = from.path("configMapKeyRef").path("key").asText();
                    Map<String, String> data = configMaps.apply(map);
                    value = data == null ? null : data.get(key);
                    if (value == null) {
                        throw new AssertionError(
                                where + " env " + name + ": the ConfigMap " + map + " has no key " + key);
                    }
                } else {
                    throw new AssertionError(where + " env " + name + ": neither value nor a known valueFrom");
                }
            }
            env.put(name, value);
        }
        return env;
    }

    /** {@code command} then {@code args}, expanded with the container's environment. */
    static List<String> commandLine(JsonNode container, Map<String, String> env) {
        List<String> line = new ArrayList<>();
        for (String part : List.of("command", "args")) {
            for (JsonNode word : container.path(part)) {
                line.add(expand(
                        word.asText(),
                        env,
                        "container " + container.path("name").asText() + " " + part));
            }
        }
        return line;
    }

    static String expand(String text, Map<String, String> defined, String where) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && text.startsWith("$$", i)) {
                out.append('$');
                i += 2;
            } else if (c == '$' && text.startsWith("$(", i)) {
                int end = text.indexOf(')', i);
                String name = text.substring(i + 2, end);
                String value = defined.get(name);
                if (value == null) {
                    throw new AssertionError(where + ": $(" + name + ") is not defined before it (the kubelet"
                            + " would leave it as it is)");
                }
                out.append(value);
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
