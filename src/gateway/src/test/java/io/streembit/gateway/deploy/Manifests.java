package io.streembit.gateway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code kubectl apply -k DIR} would send, short of kustomize's transformations: the objects of
 * the kustomization's resources (YAML files, and directories with their own kustomization, followed
 * recursively) and its ConfigMap generators. Kustomize is not here to run, so this reads the files
 * as kustomize does, including its load restriction: a resource file or a generator's data file
 * must be in or below its kustomization's directory (kustomize refuses {@code ../x.yaml} with
 * "security; file ... is not in or below ...").
 */
final class Manifests {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** The file names kustomize recognises, in its order. */
    static final List<String> KUSTOMIZATION_FILES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

    /** One object of a resource file. */
    record Resource(Path file, JsonNode object) {
        String kind() {
            return object.path("kind").asText();
        }

        String name() {
            return object.path("metadata").path("name").asText();
        }
    }

    /** One {@code configMapGenerator} entry; data file paths resolved against its kustomization. */
    record ConfigMapGenerator(Path dir, String name, Map<String, Path> files, List<Path> envs) {
        /** The ConfigMap's data, as kustomize builds it (env files: {@code NAME=value} lines, {@code #} comments). */
        Map<String, String> data() {
            Map<String, String> data = new LinkedHashMap<>();
            try {
                for (Path env : envs) {
                    data.putAll(envFile(env));
                }
                for (Map.Entry<String, Path> file : files.entrySet()) {
                    data.put(file.getKey(), Files.readString(file.getValue()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return data;
        }
    }

    private final List<Path> kustomizations = new ArrayList<>();
    private final List<Resource> resources = new ArrayList<>();
    private final List<ConfigMapGenerator> generators = new ArrayList<>();
    private final List<JsonNode> images = new ArrayList<>();

    private Manifests() {}

    static Manifests load(Path dir) {
        Manifests manifests = new Manifests();
        manifests.add(dir.toAbsolutePath().normalize());
        return manifests;
    }

    private void add(Path dir) {
        Path file = kustomizationFile(dir);
        if (kustomizations.contains(file)) {
            throw new AssertionError(file + " is included twice");
        }
        kustomizations.add(file);
        JsonNode kustomization = read(file).get(0);
        for (JsonNode entry : kustomization.path("resources")) {
            Path path = dir.resolve(entry.asText()).normalize();
            if (Files.isDirectory(path)) {
                add(path);
            } else {
                for (JsonNode object : read(inOrBelow(dir, entry.asText()))) {
                    resources.add(new Resource(path, object));
                }
            }
        }
        for (JsonNode generator : kustomization.path("configMapGenerator")) {
            Map<String, Path> files = new LinkedHashMap<>();
            for (JsonNode entry : generator.path("files")) {
                String text = entry.asText();
                int eq = text.indexOf('=');
                Path path = inOrBelow(dir, eq < 0 ? text : text.substring(eq + 1));
                files.put(eq < 0 ? path.getFileName().toString() : text.substring(0, eq), path);
            }
            List<Path> envs = new ArrayList<>();
            for (JsonNode entry : generator.path("envs")) {
                envs.add(inOrBelow(dir, entry.asText()));
            }
            generators.add(new ConfigMapGenerator(dir, generator.path("name").asText(), files, envs));
        }
        kustomization.path("images").forEach(images::add);
    }

    static Path kustomizationFile(Path dir) {
        for (String name : KUSTOMIZATION_FILES) {
            if (Files.isRegularFile(dir.resolve(name))) {
                return dir.resolve(name);
            }
        }
        throw new AssertionError(dir + " has no kustomization (" + String.join(", ", KUSTOMIZATION_FILES) + ")");
    }

    /** A data file of a kustomization: must exist, in or below its directory. */
    private static Path inOrBelow(Path dir, String relative) {
        Path path = dir.resolve(relative).normalize();
        if (!path.startsWith(dir)) {
            throw new AssertionError("kustomize refuses " + relative + " in " + dir
                    + ": a data file must be in or below its kustomization's directory");
        }
        if (!Files.isRegularFile(path)) {
            throw new AssertionError(dir + " names " + relative + ", which does not exist");
        }
        return path;
    }

    static List<JsonNode> read(Path file) {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                JsonNode document = it.next();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(document);
                }
            }
        } catch (IOException e) {
            throw new AssertionError(file + " is not YAML: " + e.getMessage(), e);
        }
        return documents;
    }

    /** {@code NAME=value} lines; blank lines and {@code #} comments skipped (kustomize's env files). */
    static Map<String, String> envFile(Path file) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            int eq = text.indexOf('=');
            if (eq < 1) {
                throw new AssertionError(file + ": not NAME=value: " + text);
            }
            env.put(text.substring(0, eq), text.substring(eq + 1));
        }
        return env;
    }

    /** The kustomization files read, the top one first. */
    List<Path> kustomizations() {
        return List.copyOf(kustomizations);
    }

    List<Resource> resources() {
        return List.copyOf(resources);
    }

    List<ConfigMapGenerator> configMapGenerators() {
        return List.copyOf(generators);
    }

    /** The {@code images} entries of every kustomization read. */
    List<JsonNode> images() {
        return List.copyOf(images);
    }

    /** The one object of this kind and name. */
    JsonNode object(String kind, String name) {
        List<JsonNode> found = resources.stream()
                .filter(r -> r.kind().equals(kind) && r.name().equals(name))
                .map(Resource::object)
                .toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + " " + name + ", found " + found.size());
        }
        return found.get(0);
    }

    List<JsonNode> objects(String kind) {
        return resources.stream()
                .filter(r -> r.kind().equals(kind))
                .map(Resource::object)
                .toList();
    }

    ConfigMapGenerator configMapGenerator(String name) {
        List<ConfigMapGenerator> found =
                generators.stream().filter(g -> g.name().equals(name)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one configMapGenerator " + name + ", found " + found.size());
        }
        return found.get(0);
    }

    /** Whether a ConfigMap of this name is generated or declared. */
    boolean hasConfigMap(String name) {
        return generators.stream().anyMatch(g -> g.name().equals(name))
                || resources.stream()
                        .anyMatch(r -> r.kind().equals("ConfigMap") && r.name().equals(name));
    }
}
