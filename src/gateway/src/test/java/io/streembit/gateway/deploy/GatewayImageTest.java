package io.streembit.gateway.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker/gateway.Dockerfile, read without Docker, against what the build produces and what the
 * gateway is configured with. The copied files themselves, and the image's command and health
 * check run for real, are checked after the package phase by {@link GatewayDeploymentIT}.
 */
class GatewayImageTest {
    /** Quarkus' fast-jar ({@code quarkus.package.jar.type=fast-jar}, the default): the runner and three directories. */
    static final List<String> FAST_JAR = List.of("lib/", "*.jar", "app/", "quarkus/");

    static final String QUARKUS_APP = Repository.relative(Repository.QUARKUS_APP) + "/";

    private final Dockerfile dockerfile = Dockerfile.read(Repository.GATEWAY_DOCKERFILE);

    @Test
    void buildsOnThePinnedUbi9OpenJdk17Runtime() {
        assertThat(dockerfile.from()).matches("registry\\.access\\.redhat\\.com/ubi9/openjdk-17-runtime:\\d+\\.\\d+");
    }

    /**
     * The COPY sources are the four parts of the fast-jar where the Quarkus build writes it; no
     * setting of the jar moves it or changes its type. When the application has been built, each
     * source matches something (the failsafe phase checks that on every build).
     */
    @Test
    void copiesTheFastJarFromWhereTheQuarkusBuildPutsIt() throws IOException {
        List<Dockerfile.Copy> app = dockerfile.copies().stream()
                .filter(c -> c.sources().get(0).startsWith(QUARKUS_APP))
                .toList();
        assertThat(app)
                .extracting(c -> c.sources().get(0).substring(QUARKUS_APP.length()))
                .containsExactlyElementsOf(FAST_JAR);
        assertThat(app)
                .extracting(Dockerfile.Copy::destination)
                .containsExactly("/deployments/lib/", "/deployments/", "/deployments/app/", "/deployments/quarkus/");
        assertThat(GatewaySettings.applicationProperties().keySet())
                .as("a quarkus.package.* setting would move the fast-jar or change its layout")
                .noneMatch(key -> key.startsWith("quarkus.package."));
        if (Files.isDirectory(Repository.QUARKUS_APP)) {
            for (Dockerfile.Copy copy : app) {
                assertThat(matches(copy.sources().get(0)))
                        .as(copy.sources().get(0))
                        .isNotEmpty();
            }
        }
    }

    /** The application started is the runner the COPY of {@code *.jar} brings. */
    @Test
    void startsTheQuarkusRunnerWithRunJava() throws IOException {
        assertThat(dockerfile.entrypoint()).containsExactly("/opt/jboss/container/java/run/run-java.sh");
        String jar = dockerfile.env().get("JAVA_APP_JAR");
        assertThat(jar).isEqualTo("/deployments/quarkus-run.jar");
        if (Files.isDirectory(Repository.QUARKUS_APP)) {
            assertThat(matches(QUARKUS_APP + "*.jar"))
                    .extracting(p -> "/deployments/" + p.getFileName())
                    .containsExactly(jar);
        }
    }

    @Test
    void bakesInEveryRouteAndPointsTheRoutesDirectoryAtThem() throws IOException {
        Dockerfile.Copy routes = dockerfile.copies().stream()
                .filter(c -> c.sources().get(0).startsWith("camel-routes/"))
                .findFirst()
                .orElseThrow();
        assertThat(routes.sources()).containsExactly("camel-routes/*.yaml");
        assertThat(matches("camel-routes/*.yaml")).hasSizeGreaterThanOrEqualTo(5);
        assertThat(dockerfile.env().get("STREEMBIT_ROUTES_DIR") + "/").isEqualTo(routes.destination());
    }

    @Test
    void exposesTheHttpAndDhtPortsTheGatewayListensOn() {
        assertThat(dockerfile.exposedPorts())
                .containsExactly(
                        GatewaySettings.httpPort(),
                        GatewaySettings.defaults().dht().port());
        // the ports are reachable from outside the container only on every address of it; the
        // image relies on the jar for the HTTP host (unlike Quarkus' template, which adds -D)
        assertThat(dockerfile.env()).containsEntry("STREEMBIT_DHT_HOST", "0.0.0.0");
        assertThat(GatewaySettings.applicationProperties()).containsEntry("quarkus.http.host", "0.0.0.0");
    }

    /** A numeric user (runAsNonRoot can only check a number), not root, owning what is copied. */
    @Test
    void runsAsANumericUserOtherThanRoot() {
        String user = dockerfile.user();
        assertThat(user).matches("\\d+");
        assertThat(Integer.parseInt(user)).isPositive();
        assertThat(dockerfile.copies()).allSatisfy(c -> assertThat(c.flags()).containsEntry("chown", user));
    }

    /** The health check asks the liveness endpoint on the HTTP port (QUARKUS_HTTP_PORT when set). */
    @Test
    void healthCheckAsksLivenessOnTheHttpPort() {
        Dockerfile.Healthcheck check = dockerfile.healthcheck();
        assertThat(check.none()).isFalse();
        assertThat(check.command()).hasSize(3).startsWith("bash", "-c");
        assertThat(check.command().get(2))
                .contains("/dev/tcp/127.0.0.1/${QUARKUS_HTTP_PORT:-" + GatewaySettings.httpPort() + "}")
                .contains("GET /q/health/live ");
        assertThat(check.options()).containsKeys("interval", "timeout", "start-period", "retries");
    }

    /** Every variable the image sets is a documented setting or one of run-java.sh's. */
    @Test
    void setsOnlyDocumentedVariables() {
        ConfigurationDocs docs = ConfigurationDocs.read();
        assertThat(dockerfile.env().keySet())
                .allSatisfy(
                        name -> assertThat(docs.documents(name) || RUN_JAVA.contains(name) || name.equals("LANGUAGE"))
                                .as(name + " is neither in docs/configuration.md nor a variable of run-java.sh")
                                .isTrue());
    }

    static final List<String> RUN_JAVA = List.of(
            "JAVA_APP_JAR",
            "JAVA_OPTS",
            "JAVA_OPTS_APPEND",
            "JAVA_MAX_MEM_RATIO",
            "GC_CONTAINER_OPTIONS",
            "GC_MIN_HEAP_FREE_RATIO",
            "GC_MAX_HEAP_FREE_RATIO",
            "GC_TIME_RATIO");

    /** G1 at the JVM's own sizing, not run-java.sh's footprint-first ParallelGC (a fifth of the gateway's CPU in GC). */
    @Test
    void runsG1AtTheJvmsOwnHeapSizing() {
        assertThat(RunJava.gcOptions(dockerfile.env()))
                .containsExactly(
                        "-XX:+UseG1GC",
                        "-XX:MinHeapFreeRatio=40",
                        "-XX:MaxHeapFreeRatio=70",
                        "-XX:GCTimeRatio=12",
                        "-XX:AdaptiveSizePolicyWeight=90");
        assertThat(RunJava.gcOptions(java.util.Map.of())).startsWith("-XX:+UseParallelGC", "-XX:MinHeapFreeRatio=10");
    }

    @Test
    void buildContextKeepsEveryCopySource() {
        DockerIgnore ignore = DockerIgnore.of(Repository.GATEWAY_DOCKERFILE);
        assertKeeps(ignore, dockerfile);
        assertThat(ignore.keeps("src/gateway/src/main/java/io/streembit/gateway/config/GatewayConfig.java"))
                .isFalse();
        assertThat(ignore.keeps("src/gateway/target/classes/application.properties"))
                .isFalse();
    }

    /** Each COPY source, and a file below a directory source, is in the build context. */
    static void assertKeeps(DockerIgnore ignore, Dockerfile dockerfile) {
        for (Dockerfile.Copy copy : dockerfile.copies()) {
            for (String source : copy.sources()) {
                String sample = source.endsWith("/") ? source + "any/file.jar" : source.replace("*", "x");
                assertThat(ignore.keeps(sample))
                        .as(dockerfile.file().getFileName() + ".dockerignore leaves out " + source + " (" + sample
                                + ")")
                        .isTrue();
            }
        }
    }

    /** The files a COPY source (a path or glob relative to the build context) takes. */
    static List<Path> matches(String source) throws IOException {
        String pattern = source.endsWith("/") ? source.substring(0, source.length() - 1) : source;
        int slash = pattern.lastIndexOf('/');
        Path dir = Repository.ROOT.resolve(pattern.substring(0, slash));
        if (!pattern.contains("*")) {
            Path path = Repository.ROOT.resolve(pattern);
            return Files.exists(path) ? List.of(path) : List.of();
        }
        PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(slash + 1));
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> glob.matches(p.getFileName())).sorted().toList();
        }
    }
}
