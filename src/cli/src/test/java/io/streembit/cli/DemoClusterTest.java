package io.streembit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.InputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.streembit.cli.CliRun.cli;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code streembit demo --gateways N}: what is refused before anything starts, and what each replica is told. */
class DemoClusterTest {
    @Test
    void gatewaysOutsideOneToTheMaximumAreRefusedBeforeAnythingStarts(@TempDir Path dir) {
        for (String n : List.of("0", "-1", String.valueOf(DemoCluster.MAX_GATEWAYS + 1))) {
            CliRun.Result result = cli().run(
                            "demo",
                            "--gateways",
                            n,
                            "--dir",
                            dir.resolve("demo").toString());
            assertThat(result.exit()).as(result.toString()).isEqualTo(1);
            assertThat(result.errLines()).containsExactly("streembit: --gateways is 1 to " + DemoCluster.MAX_GATEWAYS);
            assertThat(dir.resolve("demo")).doesNotExist();
        }
    }

    @Test
    void theReplicasHttpPortsMustAllFit(@TempDir Path dir) {
        CliRun.Result result = cli().run(
                        "demo",
                        "--gateways",
                        "3",
                        "--http-port",
                        "65534",
                        "--dir",
                        dir.resolve("demo").toString());
        assertThat(result.exit()).as(result.toString()).isEqualTo(1);
        assertThat(result.errLines())
                .containsExactly("streembit: --http-port 65534: the gateways need ports 65534 to 65536,"
                        + " which must be 1 to 65535");
    }

    @Test
    void helpNamesTheOption() {
        assertThat(cli().run("demo", "--help").out()).contains("--gateways=N", "kill -9");
    }

    @Test
    void withKafkaTheReplicasUseItAndNoBrokerStarts(@TempDir Path work) throws Exception {
        DemoCommand demo = parse("--gateways", "3", "--kafka", "kafka.example:9092", "--http-port", "9000");
        List<AutoCloseable> started = new ArrayList<>();

        String bootstrap = demo.clusterKafka(work, started);

        assertThat(bootstrap).isEqualTo("kafka.example:9092");
        assertThat(started).isEmpty();
        assertThat(work.resolve("kafka")).doesNotExist();

        List<Map<String, String>> replicas = demo.replicaProperties(
                Map.of("streembit.sinks.kafka.bootstrap-servers", "kafka.example:9092", "quarkus.http.port", "9000"),
                bootstrap);
        assertThat(replicas).hasSize(3);
        for (int i = 0; i < 3; i++) {
            Map<String, String> props = replicas.get(i);
            assertThat(props)
                    .containsEntry("quarkus.http.port", String.valueOf(9000 + i))
                    .containsEntry("streembit.cluster.enabled", "true")
                    .containsEntry("streembit.cluster.member-id", "gateway-" + (i + 1))
                    .containsEntry("streembit.cluster.group-id", DemoCluster.GROUP_ID)
                    .containsEntry("streembit.cluster.shards", String.valueOf(DemoCluster.SHARDS))
                    .containsEntry("streembit.cluster.bootstrap-servers", "kafka.example:9092")
                    .containsEntry("streembit.sinks.kafka.bootstrap-servers", "kafka.example:9092")
                    // no node key file: each replica's DHT node gets a fresh key of its own
                    .doesNotContainKey("streembit.dht.node-key-file");
        }
        assertThat(replicas.stream().map(p -> p.get("streembit.dht.port")).distinct())
                .hasSize(3);
    }

    @Test
    void withoutKafkaTheDemoStartsItsOwnBroker(@TempDir Path work) throws Exception {
        DemoCommand demo = parse("--gateways", "2");
        List<AutoCloseable> started = new ArrayList<>();
        try {
            String bootstrap = demo.clusterKafka(work, started);
            assertThat(bootstrap).startsWith("127.0.0.1:");
            assertThat(started).singleElement().isInstanceOf(DemoKafka.class);
        } finally {
            for (AutoCloseable c : started) {
                c.close();
            }
        }
    }

    private static DemoCommand parse(String... args) {
        Terminal terminal =
                new Terminal(InputStream.nullInputStream(), System.out, System.err, Map.of(), null, new SecureRandom());
        DemoCommand demo = new DemoCommand(terminal, stop -> {});
        new CommandLine(demo).parseArgs(args);
        return demo;
    }
}
