package io.streembit.gateway.deploy;

import java.nio.file.Path;

/** Paths of the repository the deployment tests read (surefire and failsafe set {@code repo.root}). */
final class Repository {
    static final Path ROOT =
            Path.of(System.getProperty("repo.root", "../..")).toAbsolutePath().normalize();
    static final Path GATEWAY_DOCKERFILE = ROOT.resolve("docker/gateway.Dockerfile");
    static final Path NODE_DOCKERFILE = ROOT.resolve("docker/node.Dockerfile");
    static final Path K8S = ROOT.resolve("k8s");
    static final Path SIMULATOR = K8S.resolve("simulator");
    static final Path ROUTES = ROOT.resolve("camel-routes");
    static final Path CONFIGURATION_DOCS = ROOT.resolve("docs/configuration.md");
    static final Path DEPLOY_DOCS = ROOT.resolve("docs/deploy.md");
    static final Path APPLICATION_PROPERTIES = ROOT.resolve("src/gateway/src/main/resources/application.properties");
    /** Where the Quarkus build puts the fast-jar: {@code ${project.build.directory}/quarkus-app}. */
    static final Path QUARKUS_APP = ROOT.resolve("src/gateway/target/quarkus-app");

    private Repository() {}

    /** {@code path} relative to the repository root, {@code /}-separated (a Docker build-context path). */
    static String relative(Path path) {
        return ROOT.relativize(path.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }
}
