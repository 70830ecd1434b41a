package io.streembit.gateway.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The API-key file ({@code streembit.auth.api-keys-file}, typically a Kubernetes Secret mounted
 * as a file): a JSON array of {@code {"name", "sha256" | "key", "roles", "devices"?, "labels"?}}.
 * Unknown members are refused, so a misspelt {@code "role"} does not silently grant nothing.
 * Error messages name the file and the entry, never a key.
 */
public final class ApiKeyFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> MEMBERS = Set.of("name", "sha256", "key", "roles", "devices", "labels");

    private ApiKeyFile() {}

    public static List<ApiKey> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ApiKeyConfigException("API key file " + file + " cannot be read: " + e, e);
        }
        return parse("API key file " + file, bytes);
    }

    /** @param where names the source in error messages */
    public static List<ApiKey> parse(String where, byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            // Jackson's message may quote the input, which holds keys: say where only
            throw new ApiKeyConfigException(where + " is not JSON (line " + line(e) + ")");
        }
        if (root == null || !root.isArray()) {
            throw new ApiKeyConfigException(where + " must be a JSON array of API keys");
        }
        List<ApiKey> keys = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode entry = root.get(i);
            String at = where + " entry " + i;
            if (!entry.isObject()) {
                throw new ApiKeyConfigException(at + " is not an object");
            }
            for (Iterator<String> it = entry.fieldNames(); it.hasNext(); ) {
                String member = it.next();
                if (!MEMBERS.contains(member)) {
                    throw new ApiKeyConfigException(at + ": unknown member '" + member + "' (" + MEMBERS + ")");
                }
            }
            keys.add(ApiKey.of(
                    at,
                    text(entry, "name", at),
                    text(entry, "sha256", at),
                    text(entry, "key", at),
                    strings(entry, "roles", at),
                    strings(entry, "devices", at),
                    labels(entry, at)));
        }
        return keys;
    }

    private static String text(JsonNode entry, String member, String at) {
        JsonNode v = entry.get(member);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new ApiKeyConfigException(at + ": " + member + " must be a string");
        }
        return v.asText();
    }

    private static List<String> strings(JsonNode entry, String member, String at) {
        JsonNode v = entry.get(member);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw new ApiKeyConfigException(at + ": " + member + " must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode s : v) {
            if (!s.isTextual()) {
                throw new ApiKeyConfigException(at + ": " + member + " must be an array of strings");
            }
            out.add(s.asText());
        }
        return out;
    }

    private static Map<String, String> labels(JsonNode entry, String at) {
        JsonNode v = entry.get("labels");
        if (v == null || v.isNull()) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw new ApiKeyConfigException(at + ": labels must be an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> label = it.next();
            if (!label.getValue().isTextual()) {
                throw new ApiKeyConfigException(at + ": label " + label.getKey() + " must be a string");
            }
            out.put(label.getKey(), label.getValue().asText());
        }
        return out;
    }

    private static String line(IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException p && p.getLocation() != null) {
            return String.valueOf(p.getLocation().getLineNr());
        }
        return "?";
    }
}
