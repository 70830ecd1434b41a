package io.streembit.gateway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker/node.Dockerfile (seeds and the simulator: the CLI jar), read without Docker, against the
 * CLI's build and the seeds' manifest. That the manifests' arguments are valid `streembit`
 * command lines is DeploymentArgsTest's part, in src/cli.
 */
class NodeImageTest {
    private final Dockerfile dockerfile = Dockerfile.read(Repository.NODE_DOCKERFILE);

    /**
     * The one COPY takes the shaded jar where src/cli's build writes it: the shade plugin replaces
     * the module's jar, {@code target/<finalName>.jar} (bin/streembit and src/cli's *IT run that file).
     */
    @Test
    void copiesTheShadedCliJarFromWhereTheCliBuildPutsIt() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(Repository.ROOT.resolve("src/cli/pom.xml").toFile());
        String finalName = XPathFactory.newInstance().newXPath().evaluate("/project/build/finalName", pom);
        assertThat(finalName).isNotBlank();
        assertThat(dockerfile.copies()).hasSize(1);
        Dockerfile.Copy copy = dockerfile.copies().get(0);
        assertThat(copy.sources()).containsExactly("src/cli/target/" + finalName + ".jar");
        assertThat(dockerfile.env().get("JAVA_APP_JAR")).isEqualTo(copy.destination());
        assertThat(dockerfile.entrypoint()).containsExactly("/opt/jboss/container/java/run/run-java.sh");
    }

    @Test
    void buildsOnTheGatewaysBase() {
        assertThat(dockerfile.from())
                .isEqualTo(Dockerfile.read(Repository.GATEWAY_DOCKERFILE).from());
    }

    /** The port exposed is the one the seeds listen on. */
    @Test
    void exposesTheSeedsPort() {
        JsonNode seed = Manifests.load(Repository.K8S).object("StatefulSet", "streembit-seed");
        JsonNode container = seed.path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0);
        assertThat(dockerfile.exposedPorts())
                .containsExactly(
                        container.path("ports").get(0).path("containerPort").asInt());
    }

    @Test
    void runsAsANumericUserOtherThanRoot() {
        assertThat(dockerfile.user()).matches("\\d+").isNotEqualTo("0");
        assertThat(dockerfile.copies())
                .allSatisfy(c -> assertThat(c.flags()).containsEntry("chown", dockerfile.user()));
    }

    /** No health check: nothing a node serves could answer one (Kubernetes probes the seeds' port). */
    @Test
    void hasNoHealthCheck() {
        assertThat(dockerfile.healthcheck().none()).isTrue();
    }

    @Test
    void buildContextKeepsTheJarOnly() {
        DockerIgnore ignore = DockerIgnore.of(Repository.NODE_DOCKERFILE);
        GatewayImageTest.assertKeeps(ignore, dockerfile);
        assertThat(ignore.keeps("src/gateway/target/quarkus-app/quarkus-run.jar"))
                .isFalse();
        assertThat(ignore.keeps("src/cli/target/original-streembit-cli.jar")).isFalse();
    }
}
