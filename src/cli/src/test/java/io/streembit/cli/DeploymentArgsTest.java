package io.streembit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.streembit.dht.DhtOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The `streembit` command lines of k8s/ (the seeds' node, the init container that makes their
 * key, the simulator) parsed by the CLI itself and checked as the commands check them before they
 * start: an unknown option, a wrong value or a missing --advertise fails here, not in a pod that
 * restarts forever. The manifests' agreement with the gateway is checked in src/gateway.
 */
class DeploymentArgsTest {
    private static final Path K8S = Path.of("..", "..", "k8s").toAbsolutePath().normalize();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern VARIABLE = Pattern.compile("\\$\\(([A-Z_][A-Z0-9_]*)\\)");
    /** What the downward API would tell the pods. */
    private static final Map<String, String> FIELDS =
            Map.of("metadata.name", "streembit-seed-2", "metadata.namespace", "iot", "status.podIP", "10.244.3.4");

    @Test
    void seedsRunAValidNodeCommand() throws Exception {
        JsonNode node = container(K8S.resolve("seed-statefulset.yaml"), "StatefulSet", "node");
        CommandLine.ParseResult parsed = parse(commandLine(node));
        NodeCommand command = (NodeCommand) parsed.subcommand().commandSpec().userObject();
        assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("node");
        DhtOptions options = command.options();
        assertThat(options.host()).isEqualTo("0.0.0.0");
        assertThat(options.contactHost()).isEqualTo("streembit-seed-2.streembit-seed.iot.svc");
        assertThat(options.port())
                .isEqualTo(node.path("ports").get(0).path("containerPort").asInt());
        assertThat(options.dataDir()).isNotNull();
        assertThat(command.key).as("a seed keeps its node id: --key").isNotNull();
        assertThat(DhtRuntime.seeds(command.seeds))
                .hasSize(3)
                .allMatch(s -> s.host().endsWith(".streembit-seed.iot.svc") && s.port() == options.port());
    }

    /** The init container makes the very key file the node then opens, and only when it is missing. */
    @Test
    void seedKeyIsMadeByKeyNewWhereTheNodeLooksForIt() throws Exception {
        Path file = K8S.resolve("seed-statefulset.yaml");
        List<String> init = commandLine(container(file, "StatefulSet", "node-key"));
        assertThat(init.subList(0, 2)).containsExactly("/bin/bash", "-c");
        String script = init.get(2);
        String runJava = "/opt/jboss/container/java/run/run-java.sh ";
        assertThat(script).startsWith("test -f ").contains(" || exec " + runJava);
        List<String> args = List.of(
                script.substring(script.indexOf(runJava) + runJava.length()).split(" "));
        CommandLine.ParseResult parsed = parse(args);
        assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("key");
        assertThat(parsed.subcommand().subcommand().commandSpec().name()).isEqualTo("new");
        Path out = parsed.subcommand().subcommand().matchedOptionValue("--out", null);
        NodeCommand node = (NodeCommand) parse(commandLine(container(file, "StatefulSet", "node")))
                .subcommand()
                .commandSpec()
                .userObject();
        assertThat(out).isEqualTo(node.key);
        assertThat(script).startsWith("test -f " + node.key + " ||");
    }

    @Test
    void simulatorRunsAValidSimulateCommand() throws Exception {
        JsonNode sim = container(K8S.resolve("simulator/simulator.yaml"), "Deployment", "simulate");
        CommandLine.ParseResult parsed = parse(commandLine(sim));
        SimulateCommand command =
                (SimulateCommand) parsed.subcommand().commandSpec().userObject();
        assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("simulate");
        assertThat(command.checkArguments()).hasSize(3);
        assertThat(command.rate()).isPositive();
        assertThat(command.host).isEqualTo(FIELDS.get("status.podIP"));
        assertThat(command.gatewayOffer).isNotNull();
    }

    private static CommandLine.ParseResult parse(List<String> args) {
        PrintStream none = new PrintStream(OutputStream.nullOutputStream());
        Terminal terminal = new Terminal(InputStream.nullInputStream(), none, none, Map.of(), null, new SecureRandom());
        return StreembitCli.commandLine(terminal).parseArgs(args.toArray(String[]::new));
    }

    /** The container's command and args, $(NAME) replaced by its downward-API variables. */
    private static List<String> commandLine(JsonNode container) {
        Map<String, String> env = new HashMap<>();
        for (JsonNode variable : container.path("env")) {
            JsonNode field = variable.path("valueFrom").path("fieldRef").path("fieldPath");
            if (!field.isMissingNode()) {
                env.put(variable.path("name").asText(), FIELDS.get(field.asText()));
            }
        }
        List<String> line = new ArrayList<>();
        for (String part : List.of("command", "args")) {
            for (JsonNode word : container.path(part)) {
                Matcher m = VARIABLE.matcher(word.asText());
                StringBuilder expanded = new StringBuilder();
                while (m.find()) {
                    String value = env.get(m.group(1));
                    assertThat(value)
                            .as("$(" + m.group(1) + ") in "
                                    + container.path("name").asText())
                            .isNotNull();
                    m.appendReplacement(expanded, Matcher.quoteReplacement(value));
                }
                m.appendTail(expanded);
                line.add(expanded.toString());
            }
        }
        return line;
    }

    private static JsonNode container(Path file, String kind, String name) throws Exception {
        for (JsonNode object : YAML.readerFor(JsonNode.class)
                .<JsonNode>readValues(file.toFile())
                .readAll()) {
            if (!object.path("kind").asText().equals(kind)) {
                continue;
            }
            JsonNode pod = object.path("spec").path("template").path("spec");
            for (String list : List.of("initContainers", "containers")) {
                for (JsonNode container : pod.path(list)) {
                    if (container.path("name").asText().equals(name)) {
                        return container;
                    }
                }
            }
        }
        throw new AssertionError(file + " has no " + kind + " with a container " + name);
    }
}
