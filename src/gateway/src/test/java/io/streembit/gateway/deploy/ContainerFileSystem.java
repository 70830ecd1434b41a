package io.streembit.gateway.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A container's file system in a directory, made the way Docker and the kubelet make it: the
 * image's COPY instructions taken from the build context, and volumes written as the kubelet
 * writes Secret and ConfigMap volumes (the files in a timestamped directory, {@code ..data} a
 * link to it, and each file a link through {@code ..data}). Container paths map to paths below
 * the directory.
 */
final class ContainerFileSystem {
    private final Path root;

    ContainerFileSystem(Path root) {
        this.root = root;
    }

    /** The host path of a container path ({@code /deployments/quarkus-run.jar}). */
    Path path(String containerPath) {
        if (!containerPath.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute container path: " + containerPath);
        }
        return root.resolve(containerPath.substring(1));
    }

    /**
     * COPY: a source ending in {@code /} copies the directory's content into the destination, a
     * glob the matching files; each source must match something, as {@code docker build} demands.
     */
    void copy(Dockerfile dockerfile, Path context) throws IOException {
        for (Dockerfile.Copy copy : dockerfile.copies()) {
            Path destination = path(copy.destination());
            for (String source : copy.sources()) {
                List<Path> matches = GatewayImageTest.matches(source);
                if (matches.isEmpty()) {
                    throw new AssertionError(dockerfile.file().getFileName() + ": COPY " + source
                            + " matches nothing in " + context + " (docker build would fail)");
                }
                for (Path match : matches) {
                    if (Files.isDirectory(match)) {
                        copyTree(match, destination);
                    } else {
                        Path target = copy.destination().endsWith("/") || matches.size() > 1
                                ? destination.resolve(match.getFileName().toString())
                                : destination;
                        Files.createDirectories(target.getParent());
                        Files.copy(match, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }

    /** A Secret or ConfigMap volume: key to content, at {@code mountPath}. */
    void mount(String mountPath, Map<String, byte[]> files) throws IOException {
        Path dir = path(mountPath);
        Path data = dir.resolve("..2026_01_01_00_00_00.000000001");
        Files.createDirectories(data);
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Files.write(data.resolve(file.getKey()), file.getValue());
        }
        Files.createSymbolicLink(dir.resolve("..data"), data.getFileName());
        for (String name : files.keySet()) {
            Files.createSymbolicLink(dir.resolve(name), Path.of("..data", name));
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
