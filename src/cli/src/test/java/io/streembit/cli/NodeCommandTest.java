package io.streembit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.protocol.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static io.streembit.cli.CliRun.cli;
import static org.assertj.core.api.Assertions.assertThat;

/** `streembit node` in-process: what it prints, private networks, and a clean stop. */
class NodeCommandTest {
    static final String PASSCODE = "Blue-Kettle-2049";
    static final Duration START = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /**
     * The command groups, with a node whose stop request (SIGTERM in a real process) the test
     * sends. (Each group is built once, without a terminal, only to tell which one is `node`.)
     */
    static List<Function<Terminal, Object>> groups(AtomicReference<Runnable> stop) {
        List<Function<Terminal, Object>> groups = new ArrayList<>(StreembitCli.COMMAND_GROUPS);
        groups.replaceAll(g -> g.apply(null) instanceof NodeCommand ? t -> new NodeCommand(t, stop::set) : g);
        assertThat(groups).isNotEqualTo(StreembitCli.COMMAND_GROUPS);
        return groups;
    }

    JsonNode newKey(String name) throws Exception {
        CliRun.Result created = cli().passcode(PASSCODE)
                .run("key", "new", "--out", dir.resolve(name).toString());
        assertThat(created.exit()).as(created.toString()).isZero();
        return Json.parse(created.outBytes(), "key");
    }

    static int stop(CliRun.Running node, AtomicReference<Runnable> stop) throws Exception {
        stop.get().run();
        return node.exit().get(15, TimeUnit.SECONDS);
    }

    @Test
    void aPrivateNetworkNodeWithAKeyAdmitsOnlyListedKeysAndStopsCleanly() throws Exception {
        JsonNode nodeKey = newKey("node.key");
        JsonNode deviceKey = newKey("device.key");
        newKey("outsider.key");
        Path allow = dir.resolve("allow.txt");
        Files.writeString(
                allow,
                "# seed and device\n" + nodeKey.get("public_key").asText() + "\n\n"
                        + deviceKey.get("public_key").asText().toUpperCase() + "   # the lamp\n",
                StandardCharsets.UTF_8);

        AtomicReference<Runnable> stop = new AtomicReference<>();
        CliRun.Running node = cli().passcode(PASSCODE)
                .start(
                        groups(stop),
                        "node",
                        "--port",
                        "0",
                        "--key",
                        dir.resolve("node.key").toString(),
                        "--allow",
                        allow.toString(),
                        "--network",
                        "plant-7");
        try {
            JsonNode started = Json.parse(node.firstLine(START).getBytes(StandardCharsets.UTF_8), "node line");
            List<String> members = new ArrayList<>();
            started.fieldNames().forEachRemaining(members::add);
            assertThat(members).containsExactly("node_id", "public_key", "host", "port");
            assertThat(started.get("node_id").asText())
                    .isEqualTo(nodeKey.get("account").asText());
            assertThat(started.get("public_key").asText())
                    .isEqualTo(nodeKey.get("public_key").asText());
            assertThat(started.get("host").asText()).isEqualTo("127.0.0.1");
            int port = started.get("port").asInt();
            assertThat(port).isBetween(1, 65535);
            assertThat(node.err()).doesNotContain("warning");
            String seed = "127.0.0.1:" + port;
            String device = dir.resolve("device.key").toString();

            CliRun.Result put = cli().passcode(PASSCODE)
                    .stdin("{\"on\":true}")
                    .run(
                            "dht",
                            "put",
                            "--seed",
                            seed,
                            "--key",
                            device,
                            "--node-key",
                            device,
                            "--salt",
                            "td",
                            "--network",
                            "plant-7");
            assertThat(put.exit()).as(put.toString()).isZero();
            assertThat(Json.parse(put.outBytes(), "put").get("stored").asInt()).isEqualTo(1);

            CliRun.Result anonymous = cli().run(
                            "dht",
                            "get",
                            "--seed",
                            seed,
                            "--pub",
                            deviceKey.get("public_key").asText(),
                            "--salt",
                            "td",
                            "--network",
                            "plant-7");
            assertThat(anonymous.exit())
                    .as("a key not on the allow-list cannot even connect")
                    .isEqualTo(1);
            assertThat(anonymous.err()).contains("cannot join the network");

            CliRun.Result otherNetwork = cli().passcode(PASSCODE)
                    .run(
                            "dht",
                            "get",
                            "--seed",
                            seed,
                            "--pub",
                            deviceKey.get("public_key").asText(),
                            "--salt",
                            "td",
                            "--node-key",
                            device);
            assertThat(otherNetwork.exit())
                    .as("the default network id is not plant-7")
                    .isEqualTo(1);

            CliRun.Result member = cli().passcode(PASSCODE)
                    .run(
                            "dht",
                            "get",
                            "--seed",
                            seed,
                            "--pub",
                            deviceKey.get("public_key").asText(),
                            "--salt",
                            "td",
                            "--network",
                            "plant-7",
                            "--node-key",
                            device);
            assertThat(member.exit()).as(member.toString()).isZero();
            assertThat(Json.text(Json.parse(member.outBytes(), "get").get("val")))
                    .isEqualTo("{\"on\":true}");

            String outsider = dir.resolve("outsider.key").toString();
            CliRun.Result outsiderPut = cli().passcode(PASSCODE)
                    .stdin("1")
                    .run(
                            "dht",
                            "put",
                            "--seed",
                            seed,
                            "--key",
                            outsider,
                            "--node-key",
                            outsider,
                            "--salt",
                            "td",
                            "--network",
                            "plant-7");
            assertThat(outsiderPut.exit())
                    .as("a key file that is not on the list cannot join either")
                    .isEqualTo(1);
            assertThat(outsiderPut.err()).contains("cannot join the network");
        } finally {
            assertThat(stop(node, stop)).isZero();
        }
        assertThat(node.out().lines().count()).isEqualTo(1);
    }

    @Test
    void withoutAKeyTheNodeWarnsThatItsIdChangesAndJoinsThroughASeed() throws Exception {
        try (LocalDht net = LocalDht.of(2)) {
            AtomicReference<Runnable> stop = new AtomicReference<>();
            CliRun.Running node =
                    cli().start(groups(stop), "node", "--port", "0", "--seed", net.seed(0), "--seed", net.seed(1));
            try {
                JsonNode started = Json.parse(node.firstLine(START).getBytes(StandardCharsets.UTF_8), "node line");
                assertThat(started.get("node_id").asText()).hasSize(40);
                assertThat(node.err().lines().toList())
                        .containsExactly(
                                "streembit: warning: no --key: this node has a new identity (node id) each run");
                // The seed learnt about the new node during its join.
                assertThat(net.nodes.get(0).knownPeers()).isEqualTo(2);
            } finally {
                assertThat(stop(node, stop)).isZero();
            }
        }
    }

    @Test
    void aNodeWhoseSeedsAreDownStillServesAndSaysSo() throws Exception {
        int closed;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            closed = probe.getLocalPort();
        }
        AtomicReference<Runnable> stop = new AtomicReference<>();
        CliRun.Running node = cli().start(groups(stop), "node", "--port", "0", "--seed", "127.0.0.1:" + closed);
        try {
            JsonNode started = Json.parse(node.firstLine(START).getBytes(StandardCharsets.UTF_8), "node line");
            assertThat(started.get("port").asInt()).isPositive();
            assertThat(node.err())
                    .contains("streembit: warning: no seed answered (127.0.0.1:" + closed + "); serving anyway");
        } finally {
            assertThat(stop(node, stop)).isZero();
        }
    }

    @Test
    void badConfigurationIsRefusedBeforeTheNodeStarts() throws Exception {
        Path allow = dir.resolve("allow.txt");
        Files.writeString(
                allow, "# keys\n02605136fb2ec39f4a032cf0e759c8f6a0fa88f463ae68126c9d6d62f5fd0737c8\nnot-a-key\n");
        CliRun.Result badLine = cli().run("node", "--port", "0", "--allow", allow.toString());
        assertThat(badLine.exit()).isEqualTo(1);
        assertThat(badLine.err()).startsWith("streembit: " + allow + " line 3 is not a compressed public key in hex");

        Files.writeString(allow, "# nobody yet\n");
        CliRun.Result empty = cli().run("node", "--port", "0", "--allow", allow.toString());
        assertThat(empty.exit()).isEqualTo(1);
        assertThat(empty.err()).contains("lists no public key");

        CliRun.Result wildcard = cli().run("node", "--port", "0", "--host", "0.0.0.0");
        assertThat(wildcard.exit()).isEqualTo(1);
        assertThat(wildcard.err()).contains("--advertise");

        CliRun.Result port = cli().run("node", "--port", "70000");
        assertThat(port.exit()).isEqualTo(1);
        assertThat(port.err()).contains("--port must be from 0 to 65535");

        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CliRun.Result busy = cli().run("node", "--port", String.valueOf(taken.getLocalPort()));
            assertThat(busy.exit()).isEqualTo(1);
            assertThat(busy.err().lines().filter(l -> !l.contains("warning")).toList())
                    .singleElement()
                    .asString()
                    .startsWith("streembit: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ");
        }

        CliRun.Result noPort = cli().run("node");
        assertThat(noPort.exit()).isEqualTo(2);
    }
}
