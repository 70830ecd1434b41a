package io.streembit.gateway.testing;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Proves the test helpers of this package work for real (no Quarkus boot): each server is
 * started, used through its ordinary client, stopped, and where it matters restarted with the
 * same address and data.
 */
class TestingInfraTest {

    @Test
    void embeddedPostgresSurvivesStopAndStart(TestReporter report) throws Exception {
        long t0 = System.nanoTime();
        try (EmbeddedPostgres pg = EmbeddedPostgres.startNew()) {
            report.publishEntry("postgres.firstStartMs", ms(t0));
            assertThat(pg.running()).isTrue();
            assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + pg.port() + "/postgres");

            try (Connection c = connect(pg);
                    Statement st = c.createStatement()) {
                st.execute("CREATE TABLE readings (id int PRIMARY KEY, v text)");
                st.execute("INSERT INTO readings VALUES (1, 'one'), (2, 'two')");
            }

            t0 = System.nanoTime();
            pg.stop();
            report.publishEntry("postgres.stopMs", ms(t0));
            assertThat(pg.running()).isFalse();
            assertThatThrownBy(() -> connect(pg).close()).isInstanceOf(SQLException.class);

            t0 = System.nanoTime();
            pg.start();
            report.publishEntry("postgres.restartMs", ms(t0));
            assertThat(pg.running()).isTrue();
            try (Connection c = connect(pg);
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT v FROM readings ORDER BY id")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("one");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("two");
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void durableSettingsOverrideZonkysAndSurviveARestart() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.startNew(EmbeddedPostgres.DURABLE)) {
            assertThat(settings(pg)).containsExactly("on", "on");
            pg.stop();
            pg.start();
            assertThat(settings(pg)).containsExactly("on", "on");
        }
        try (EmbeddedPostgres pg = EmbeddedPostgres.startNew()) {
            assertThat(settings(pg)).containsExactly("off", "off"); // zonky's test defaults
        }
    }

    /** fsync and synchronous_commit, in that order. */
    private static List<String> settings(EmbeddedPostgres pg) throws SQLException {
        try (Connection c = connect(pg);
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT current_setting('fsync'), current_setting('synchronous_commit')")) {
            rs.next();
            return List.of(rs.getString(1), rs.getString(2));
        }
    }

    private static Connection connect(EmbeddedPostgres pg) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", pg.user());
        p.setProperty("password", pg.password());
        p.setProperty("connectTimeout", "2");
        return DriverManager.getConnection(pg.jdbcUrl(), p);
    }

    @Test
    void kafkaBrokerKeepsAddressAndDataAcrossRestart(TestReporter report) throws Exception {
        long t0 = System.nanoTime();
        try (KafkaBroker kafka = KafkaBroker.startNew()) {
            report.publishEntry("kafka.firstStartMs", ms(t0));
            String bootstrap = kafka.bootstrapServers();
            assertThat(bootstrap).startsWith("127.0.0.1:");

            // one long-lived producer across the restart, as the gateway has: it only reconnects
            // because the restarted broker is on the same address
            try (KafkaProducer<String, String> producer = producer(kafka)) {
                producer.send(new ProducerRecord<>("infra-test", "k1", "before-restart"))
                        .get(30, TimeUnit.SECONDS);
                t0 = System.nanoTime();
                List<ConsumerRecord<String, String>> first = kafka.consumeAll("infra-test", 1, Duration.ofSeconds(30));
                report.publishEntry("kafka.firstConsumeMs", ms(t0));
                assertThat(first).extracting(ConsumerRecord::value).containsExactly("before-restart");

                t0 = System.nanoTime();
                kafka.stop();
                report.publishEntry("kafka.stopMs", ms(t0));
                assertThat(kafka.running()).isFalse();

                // Sent while the broker is down. On another thread: after a controlled shutdown
                // the producer's metadata has no leader for the topic, so send() itself blocks
                // (up to max.block.ms) until the broker is back.
                CompletableFuture<RecordMetadata> duringOutage = new CompletableFuture<>();
                Thread sender = new Thread(
                        () -> {
                            try {
                                duringOutage.complete(
                                        producer.send(new ProducerRecord<>("infra-test", "k2", "during-outage"))
                                                .get());
                            } catch (Exception e) {
                                duringOutage.completeExceptionally(e);
                            }
                        },
                        "send-during-outage");
                sender.start();
                // the send has reached the producer and waits there (for metadata or for its answer)
                await().atMost(Duration.ofSeconds(30)).until(() -> waitingInProducer(sender));
                assertThat(duringOutage).isNotDone();

                t0 = System.nanoTime();
                kafka.start();
                report.publishEntry("kafka.restartMs", ms(t0));
                assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);

                duringOutage.get(30, TimeUnit.SECONDS);
                producer.send(new ProducerRecord<>("infra-test", "k3", "after-restart"))
                        .get(30, TimeUnit.SECONDS);
            }
            List<ConsumerRecord<String, String>> all = kafka.consumeAll("infra-test", 3, Duration.ofSeconds(30));
            assertThat(all)
                    .extracting(ConsumerRecord::value)
                    .containsExactly("before-restart", "during-outage", "after-restart");
            assertThat(all).extracting(ConsumerRecord::key).containsExactly("k1", "k2", "k3");

            // a topic nobody wrote to: returns what it has (nothing) once the timeout passes
            assertThat(kafka.consumeAll("infra-test-empty", 1, Duration.ofSeconds(2)))
                    .isEmpty();
        }
    }

    private static boolean waitingInProducer(Thread thread) {
        Thread.State state = thread.getState();
        return (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)
                && Arrays.stream(thread.getStackTrace())
                        .anyMatch(f -> f.getClassName().startsWith("org.apache.kafka.clients.producer."));
    }

    private static KafkaProducer<String, String> producer(KafkaBroker kafka) {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        // reconnect quickly once the broker is back (defaults back off up to 1 s)
        p.setProperty(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    @Test
    void portalStubRecordsAndInjectsFaults(TestReporter report) throws Exception {
        long t0 = System.nanoTime();
        try (PortalStub portal = new PortalStub()) {
            report.publishEntry("portal.startMs", ms(t0));
            HttpClient http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(2))
                    .build();

            // default: 200, everything recorded
            HttpResponse<String> ok = http.send(
                    post(portal, "/api/readings?src=gw", "r1", Duration.ofSeconds(5)),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            PortalStub.Request r = portal.received().get(0);
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/api/readings");
            assertThat(r.query()).isEqualTo("src=gw");
            assertThat(r.body()).isEqualTo("r1");
            assertThat(r.header("content-type")).isEqualTo("application/json");
            assertThat(r.header("X-Streembit-Test")).isEqualTo("yes");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.time()).isNotNull();

            // failNext: exactly the next n requests fail, then back to 200
            portal.failNext(2, 503);
            assertThat(status(http, portal, "f1")).isEqualTo(503);
            assertThat(status(http, portal, "f2")).isEqualTo(503);
            assertThat(status(http, portal, "r2")).isEqualTo(200);

            // failAll until healthy()
            portal.failAll(500);
            assertThat(status(http, portal, "f3")).isEqualTo(500);
            assertThat(status(http, portal, "f4")).isEqualTo(500);
            portal.healthy();
            assertThat(status(http, portal, "r3")).isEqualTo(200);

            // delay: a client with a shorter timeout gives up; the stub still answers 200 later,
            // so the body counts as accepted (the duplicate-after-timeout case)
            portal.delay(Duration.ofMillis(800));
            assertThatThrownBy(() -> http.send(
                            post(portal, "/api/readings", "slow", Duration.ofMillis(200)),
                            HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(HttpTimeoutException.class);

            // delayed answers are concurrent, not serialized: 4 requests take ~1 delay, not 4
            t0 = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> parallel = List.of("p1", "p2", "p3", "p4").stream()
                    .map(b -> http.sendAsync(
                            post(portal, "/api/readings", b, Duration.ofSeconds(5)),
                            HttpResponse.BodyHandlers.ofString()))
                    .toList();
            for (CompletableFuture<HttpResponse<String>> f : parallel) {
                assertThat(f.get().statusCode()).isEqualTo(200);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(2400));
            portal.delay(Duration.ZERO);

            // the parallel ones arrive in any order
            assertThat(portal.received())
                    .extracting(PortalStub.Request::body)
                    .containsExactlyInAnyOrder("r1", "f1", "f2", "r2", "f3", "f4", "r3", "slow", "p1", "p2", "p3", "p4")
                    .startsWith("r1", "f1", "f2", "r2", "f3", "f4", "r3", "slow");
            assertThat(portal.received())
                    .extracting(PortalStub.Request::status)
                    .startsWith(200, 503, 503, 200, 500, 500, 200, 200);
            assertThat(portal.accepted())
                    .containsExactlyInAnyOrder("r1", "r2", "r3", "slow", "p1", "p2", "p3", "p4")
                    .startsWith("r1", "r2", "r3", "slow");
            assertThat(portal.url("x")).isEqualTo("http://127.0.0.1:" + portal.port() + "/x");
        }
    }

    private static HttpRequest post(PortalStub portal, String path, String body, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(portal.url(path)))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("X-Streembit-Test", "yes")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static int status(HttpClient http, PortalStub portal, String body) throws Exception {
        return http.send(
                        post(portal, "/api/readings", body, Duration.ofSeconds(5)),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static String ms(long startNanos) {
        return Long.toString((System.nanoTime() - startNanos) / 1_000_000);
    }
}
