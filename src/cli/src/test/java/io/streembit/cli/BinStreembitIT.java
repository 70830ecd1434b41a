package io.streembit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.protocol.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bin/streembit, as an operator runs it: a separate process on the shaded jar that
 * `package` built (failsafe runs this after package).
 */
class BinStreembitIT {
    static final Path SCRIPT =
            Path.of("..", "..", "bin", "streembit").toAbsolutePath().normalize();
    static final Path JAR = Path.of("target", "streembit-cli.jar").toAbsolutePath();
    static final String PASSCODE = "Blue-Kettle-2049";

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    @Test
    void theShadedJarWasBuilt() {
        assertThat(JAR).isRegularFile();
        assertThat(SCRIPT).isExecutable();
    }

    @Test
    void keyNewShowSignVerifyThroughTheScript() throws Exception {
        Path key = dir.resolve("node.key");
        Map<String, String> env = Map.of("STREEMBIT_PASSCODE", PASSCODE, "STREEMBIT_KDF", "insecure-test");

        Run created = run(env, "", "key", "new", "--out", key.toString());
        assertThat(created.exit()).as(created.toString()).isZero();
        JsonNode summary = Json.parse(created.out().getBytes(StandardCharsets.UTF_8), "output");
        String pub = summary.get("public_key").asText();
        assertThat(summary.get("account").asText()).hasSize(40);

        Run shown = run(Map.of(), "", "key", "show", key.toString());
        assertThat(shown.exit()).as(shown.toString()).isZero();
        assertThat(shown.out()).contains(pub);

        Run signed = run(env, "{\"hello\":\"world\"}\n", "jws", "sign", "--key", key.toString());
        assertThat(signed.exit()).as(signed.toString()).isZero();
        Run verified = run(Map.of(), signed.out(), "jws", "verify", "--pub", pub);
        assertThat(verified.exit()).as(verified.toString()).isZero();
        assertThat(verified.out()).isEqualTo("{\"hello\":\"world\"}\n");
    }

    @Test
    void aFailureIsExitOneAndOneLineOnStderr() throws Exception {
        Run result = run(Map.of(), "not.a.token", "jws", "verify");
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err().lines().toList()).singleElement().asString().startsWith("streembit: ");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void versionComesFromTheJarManifest() throws Exception {
        Run result = run(Map.of(), "", "--version");
        assertThat(result.exit()).isZero();
        assertThat(result.out()).startsWith("streembit 0.");
    }

    @Test
    void aMissingJarTellsHowToBuildIt() throws Exception {
        Run result = run(Map.of("STREEMBIT_CLI_JAR", dir.resolve("absent.jar").toString()), "", "--help");
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).contains("is not built").contains("./mvnw -q -pl src/cli -am package -DskipTests");
    }

    private Run run(Map<String, String> env, String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(SCRIPT.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().remove("STREEMBIT_PASSCODE");
        builder.environment().remove("STREEMBIT_NEW_PASSCODE");
        builder.environment().remove("STREEMBIT_KDF");
        builder.environment().putAll(env);
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bin/streembit did not finish in 60 s");
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
