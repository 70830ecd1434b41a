package io.streembit.gateway.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Secrets and ConfigMaps docs/deploy.md tells the operator to create by hand, read from its
 * {@code kubectl create secret generic NAME ...} and {@code kubectl create configmap NAME ...}
 * commands: name and the keys its {@code --from-file} and {@code --from-literal} options give it;
 * and the images its {@code docker build -f DOCKERFILE -t IMAGE} commands build. The manifests
 * refer to these by name, so a difference is a pod that cannot start.
 */
final class DeployDocs {
    private final Map<String, Set<String>> secrets = new LinkedHashMap<>();
    private final Map<String, Set<String>> configMaps = new LinkedHashMap<>();
    private final Map<String, String> images = new LinkedHashMap<>();

    private DeployDocs() {}

    static DeployDocs read() {
        DeployDocs docs = new DeployDocs();
        List<String> lines;
        try {
            lines = Files.readAllLines(Repository.DEPLOY_DOCS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder command = new StringBuilder();
        for (String line : lines) {
            String text = line.strip();
            if (text.endsWith("\\")) {
                command.append(text, 0, text.length() - 1).append(' ');
                continue;
            }
            command.append(text);
            docs.take(command.toString().replaceFirst("^\\$\\s*", ""));
            command.setLength(0);
        }
        return docs;
    }

    private void take(String command) {
        List<String> words = Dockerfile.words(command);
        if (words.size() > 2 && words.subList(0, 2).equals(List.of("docker", "build"))) {
            int file = words.indexOf("-f");
            int tag = words.indexOf("-t");
            if (file > 0 && tag > 0) {
                String image = words.get(tag + 1).replaceFirst(":[^:/]*$", "");
                images.put(words.get(file + 1), image.substring(image.lastIndexOf('/') + 1));
            }
            return;
        }
        Map<String, Set<String>> into;
        int name;
        if (words.size() > 4 && words.subList(0, 4).equals(List.of("kubectl", "create", "secret", "generic"))) {
            into = secrets;
            name = 4;
        } else if (words.size() > 3 && words.subList(0, 3).equals(List.of("kubectl", "create", "configmap"))) {
            into = configMaps;
            name = 3;
        } else {
            return;
        }
        Set<String> keys = into.computeIfAbsent(words.get(name), n -> new LinkedHashSet<>());
        for (String word : words.subList(name + 1, words.size())) {
            if (word.startsWith("--from-literal=")) {
                String pair = word.substring("--from-literal=".length());
                keys.add(pair.substring(0, pair.indexOf('=')));
            } else if (word.startsWith("--from-file=")) {
                String source = word.substring("--from-file=".length());
                int eq = source.indexOf('=');
                keys.add(eq >= 0 ? source.substring(0, eq) : source.substring(source.lastIndexOf('/') + 1));
            }
        }
    }

    /** Secret name to its keys. */
    Map<String, Set<String>> secrets() {
        return secrets;
    }

    /** Dockerfile to the name of the image built from it (its last path element, without the tag). */
    Map<String, String> images() {
        return images;
    }

    /** ConfigMap name to its keys. */
    Map<String, Set<String>> configMaps() {
        return configMaps;
    }
}
