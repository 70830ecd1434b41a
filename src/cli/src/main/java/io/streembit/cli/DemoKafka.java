package io.streembit.cli;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

/**
 * A single-node Kafka broker (KRaft, broker and controller in one) in this process, for the
 * consumer group of the demo's gateway replicas: 127.0.0.1 on two free ports, its log directory
 * under the demo's directory. It logs nothing (the tool's SLF4J provider is a no-op).
 */
final class DemoKafka implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    static {
        // On a fatal fault the broker calls Exit.halt: that would kill the demo before it stops
        // the gateways it started. An exception instead fails the broker alone.
        Exit.setHaltProcedure((status, message) -> {
            throw new IllegalStateException("the Kafka broker stopped (status " + status + "): " + message);
        });
        Exit.setExitProcedure((status, message) -> {
            throw new IllegalStateException("the Kafka broker stopped (status " + status + "): " + message);
        });
    }

    private final KafkaRaftServer server;
    private final int port;

    private DemoKafka(KafkaRaftServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Formats a log directory in {@code dir} and starts the broker; returns once it takes clients. */
    static DemoKafka start(Path dir) throws IOException, CliException {
        Files.createDirectories(dir);
        int[] ports = FreePorts.of(2);
        Properties config = config(dir.resolve("logs"), ports[0], ports[1]);
        format(dir, config);
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
        DemoKafka kafka = new DemoKafka(server, ports[0]);
        try {
            server.startup();
            kafka.awaitReady();
        } catch (RuntimeException | CliException e) {
            kafka.close();
            throw e;
        }
        return kafka;
    }

    /**
     * One node, so every internal topic has one replica and one partition: with Kafka's defaults
     * (3 replicas, 50 partitions) a consumer group would wait for offsets that never come.
     */
    private static Properties config(Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("auto.create.topics.enable", "true");
        p.setProperty("num.partitions", "1");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        // the replicas join one after the other: each join rebalances at once, no 3 s wait
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        return p;
    }

    /** What {@code kafka-storage format} does, in this process: it only writes files. */
    private static void format(Path dir, Properties config) throws IOException, CliException {
        Path file = dir.resolve("server.properties");
        try (Writer w = Files.newBufferedWriter(file)) {
            config.store(w, "streembit demo broker");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc;
        try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            rc = kafka.tools.StorageTool.execute(
                    new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", file.toString()}, ps);
        }
        if (rc != 0) {
            throw new CliException(
                    "formatting the Kafka log directory failed: " + out.toString(StandardCharsets.UTF_8));
        }
    }

    /** A node in describeCluster: the broker has registered with its controller and is unfenced. */
    private void awaitReady() throws CliException {
        Properties p = new Properties();
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(p)) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get().isEmpty()) {
                        return;
                    }
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CliException("interrupted while the Kafka broker started");
                } catch (ExecutionException notYet) {
                    // not taking clients yet (the call itself waited up to 2 s)
                }
            }
        }
        throw new CliException("the Kafka broker on " + bootstrapServers() + " was not ready within "
                + READY_TIMEOUT.toSeconds() + " s");
    }

    int port() {
        return port;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
