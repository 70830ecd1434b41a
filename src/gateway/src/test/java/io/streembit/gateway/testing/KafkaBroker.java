package io.streembit.gateway.testing;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An in-process, single-node KRaft Kafka 4.1 broker (combined broker + controller) on a fixed
 * 127.0.0.1 port, that can be stopped and started again with the same bootstrap address and the
 * same log directory (topics, data and committed offsets survive), for the fault test "Kafka
 * broker stopped and restarted".
 *
 * <p><b>Why not {@code KafkaClusterTestKit}:</b> it binds every listener to port 0 (pre-bound
 * sockets) and creates and formats a fresh base directory on every build, and it has no
 * restart; a second kit would have a new address and no data. <b>Why in-process rather than a
 * child JVM:</b> a {@link KafkaRaftServer} over a log directory we format ourselves (same thing
 * {@code kafka.Kafka server.properties} does after {@code kafka-storage format}) can be shut down
 * and a new one started in the same JVM; measured here, it is ready in ~2.4 s cold and ~0.8 s on
 * restart, while a child JVM ({@code java -cp ... kafka.Kafka}) took ~5.8 s and ~3.6 s.
 *
 * <p>Choices, each for a reason:
 * <ul>
 *   <li>Static quorum ({@code controller.quorum.voters=1@127.0.0.1:CPORT}): nothing to bootstrap
 *       dynamically for one node, and the format step needs no {@code --standalone}.</li>
 *   <li>Replication factors / min ISR of the internal topics set to 1, or consumers wait ~30 s
 *       for a {@code __consumer_offsets} that can never be created; {@code offsets.topic.num.partitions=1}
 *       so the first consumer group does not wait for 50 partitions to be created;
 *       {@code group.initial.rebalance.delay.ms=0} so a fresh group starts consuming at once.</li>
 *   <li>Kafka's {@code Exit.halt}/{@code Exit.exit} (called by the broker on fatal faults) are
 *       replaced with a thrown exception, JVM-wide, from the moment this class is loaded (as Kafka's
 *       own test harness does), so a broker fault fails the test instead of silently killing the
 *       surefire JVM.</li>
 *   <li>Broker-side loggers ({@code kafka}, {@code org.apache.kafka}, {@code state.change.logger})
 *       are set to WARNING ({@code org.apache.kafka.controller} to SEVERE): at INFO a broker start
 *       prints hundreds of lines. This also quiets INFO from Kafka clients in the same JVM
 *       (config dumps); their warnings still show.</li>
 * </ul>
 *
 * <p>Lifecycle methods are synchronized (a JVM shutdown hook calls {@link #close()}); still, drive it from the test thread.
 */
public final class KafkaBroker implements AutoCloseable {

    /** Held strongly: java.util.logging keeps loggers weakly, and a collected logger loses its level. */
    private static final List<Logger> QUIETED = new ArrayList<>();

    static {
        quiet("kafka", Level.WARNING);
        quiet("org.apache.kafka", Level.WARNING);
        quiet("state.change.logger", Level.WARNING);
        // the controller logs "Performing controller activation" at WARN on every start
        quiet("org.apache.kafka.controller", Level.SEVERE);
        Exit.setHaltProcedure((status, message) -> {
            throw new IllegalStateException("Kafka broker asked to halt the JVM (status " + status + "): " + message);
        });
        Exit.setExitProcedure((status, message) -> {
            throw new IllegalStateException("Kafka broker asked to exit the JVM (status " + status + "): " + message);
        });
    }

    private static void quiet(String category, Level level) {
        Logger logger = Logger.getLogger(category);
        logger.setLevel(level);
        QUIETED.add(logger);
    }

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path baseDir;
    private final int port;
    private final int controllerPort;
    private final Properties config;
    private final Thread shutdownHook;
    private KafkaRaftServer server;
    private boolean closed;

    private KafkaBroker(Path baseDir, int port, int controllerPort, Map<String, String> settings) {
        this.baseDir = baseDir;
        this.port = port;
        this.controllerPort = controllerPort;
        Properties server = serverConfig(baseDir.resolve("logs"), port, controllerPort);
        server.putAll(settings);
        this.config = server;
        // a forgotten close() should not leave the log directory behind in /tmp
        this.shutdownHook = new Thread(this::closeQuietly, "kafka-broker-shutdown-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Formats a new log directory in a temporary directory, picks two free ports and starts the broker. */
    public static KafkaBroker startNew() {
        return startNew(Map.of());
    }

    /** The same with broker {@code settings} over the defaults (e.g. {@code group.min.session.timeout.ms}). */
    public static KafkaBroker startNew(Map<String, String> settings) {
        Path base;
        try {
            base = Files.createTempDirectory("streembit-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int[] ports = Ports.free(2);
        KafkaBroker broker = new KafkaBroker(base, ports[0], ports[1], settings);
        try {
            broker.format();
            broker.start();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    private static Properties serverConfig(Path logDir, int port, int controllerPort) {
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
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        return p;
    }

    /** {@code kafka-storage format} on our log dir, run in-process (it only writes files). */
    private void format() {
        Path propsFile = baseDir.resolve("server.properties");
        try (Writer w = Files.newBufferedWriter(propsFile)) {
            config.store(w, "streembit test broker");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc;
        try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            rc = kafka.tools.StorageTool.execute(
                    new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", propsFile.toString()}, ps);
        }
        if (rc != 0) {
            throw new IllegalStateException(
                    "kafka-storage format failed (" + rc + "): " + out.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * Starts the broker (again) on the same ports and log directory, and returns once an
     * AdminClient sees it in {@code describeCluster}. No-op if it is running.
     */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (server != null) {
            return;
        }
        KafkaRaftServer s = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
        try {
            s.startup();
        } catch (RuntimeException e) {
            shutdown(s);
            throw new IllegalStateException("Kafka broker did not start on " + bootstrapServers(), e);
        }
        server = s;
        awaitReady();
    }

    private void awaitReady() {
        Properties p = new Properties();
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        try (Admin admin = Admin.create(p)) {
            while (System.nanoTime() < deadline) {
                try {
                    // A node in describeCluster means the broker has registered with the
                    // controller, caught up with the metadata log and is unfenced.
                    if (!admin.describeCluster().nodes().get().isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    last = e;
                }
                sleep(100);
            }
        }
        throw new IllegalStateException(
                "Kafka broker on " + bootstrapServers() + " not ready after " + READY_TIMEOUT, last);
    }

    /**
     * Stops the broker (controlled shutdown: logs are flushed, clients see their connections
     * drop and then refused until {@link #start()}). No-op if already stopped.
     */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            shutdown(server);
        } finally {
            server = null;
        }
    }

    private static void shutdown(KafkaRaftServer s) {
        s.shutdown();
        s.awaitShutdown();
    }

    public synchronized boolean running() {
        return server != null;
    }

    /** {@code 127.0.0.1:PORT}; stays the same across restarts. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /**
     * Reads {@code topic} from the beginning with a new consumer group (String keys and values)
     * until at least {@code expectedAtLeast} records arrived or {@code timeout} passed, and returns
     * what it got (possibly fewer: assert on the result). The consumer does not commit.
     */
    public List<ConsumerRecord<String, String>> consumeAll(String topic, int expectedAtLeast, Duration timeout) {
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "streembit-test-" + UUID.randomUUID());
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // only committed transactional writes, as a downstream consumer of the gateway would see
        // them (same as read_uncommitted for non-transactional producers; an open transaction
        // holds consumption back until it ends)
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (records.size() < expectedAtLeast) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                ConsumerRecords<String, String> batch = consumer.poll(Duration.ofNanos(Math.min(left, 200_000_000L)));
                batch.forEach(records::add);
            }
        }
        return records;
    }

    /** Writes one record (String key and value) and waits for the broker's acknowledgement. */
    public void produce(String topic, String key, String value) {
        Properties p = new Properties();
        p.setProperty(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(
                p,
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, key, value))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot produce to " + topic + ": " + e.getMessage(), e);
        }
    }

    /** Stops the broker and deletes its directory; the object is unusable afterwards. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            stop();
        } finally {
            closed = true;
            EmbeddedPostgres.deleteRecursively(baseDir);
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // close() is running from the hook itself
            }
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException ignored) {
            // best effort at JVM exit
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return "KafkaBroker[" + bootstrapServers() + " (controller " + controllerPort + ")"
                + (running() ? ", running" : ", stopped") + ", dir=" + baseDir + "]";
    }
}
