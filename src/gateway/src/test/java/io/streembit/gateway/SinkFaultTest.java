package io.streembit.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streembit.device.DeviceAgent;
import io.streembit.gateway.testing.Api;
import io.streembit.gateway.testing.ContinuousPublisher;
import io.streembit.gateway.testing.GatewayTestEnvironment;
import io.streembit.gateway.testing.Metrics;
import io.streembit.gateway.testing.PortalStub;
import io.streembit.gateway.testing.Sql;
import io.streembit.gateway.testing.TestDevices;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static io.streembit.gateway.testing.DhtTestNetwork.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sinks fail under a steady stream from six devices: PostgreSQL stopped, the Kafka broker
 * stopped and restarted, the portal answering 500 and then too slowly. Afterwards nothing is
 * lost anywhere, PostgreSQL holds no duplicate, and what the portal never took sits in the dead
 * letters until a re-drive delivers it.
 */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestEnvironment.class, restrictToAnnotatedClass = false)
class SinkFaultTest {
    private static final Duration SETTLE = Duration.ofSeconds(90);

    @Test
    void nothingIsLostAndPostgresHasNoDuplicatesWhenEverySinkFailsInTurn() throws Exception {
        List<DeviceAgent> devices = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            DeviceAgent device = TestDevices.start("thermostat");
            TestDevices.register(device);
            devices.add(device);
        }
        Set<String> ids = devices.stream().map(DeviceAgent::account).collect(Collectors.toSet());
        String idList = ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
        PortalStub portal = GatewayTestEnvironment.portal();
        try (ContinuousPublisher publisher = new ContinuousPublisher(devices, Duration.ofMillis(25))) {
            await().atMost(SETTLE)
                    .until(() -> Sql.count("SELECT count(*) FROM readings WHERE device_id IN (" + idList + ")") > 100);

            // PostgreSQL down: batches wait, in flight stays at the bound, nothing is skipped
            double failuresBefore = deliveryFailures();
            GatewayTestEnvironment.postgres().stop();
            // the outage is felt: deliveries fail and every permit is held by a batch being retried
            await().atMost(SETTLE)
                    .until(() -> deliveryFailures() > failuresBefore
                            && Metrics.value("streembit_ingest_in_flight", "") == 4
                            && Metrics.value("streembit_ingest_waiting", "") >= 1);
            double committed = Metrics.value("streembit_ingest_batches_total", "");
            // nothing is committed while it is down: four more failed tries come first
            double failuresThen = deliveryFailures();
            await().atMost(SETTLE).until(() -> deliveryFailures() >= failuresThen + 4);
            assertThat(Metrics.value("streembit_ingest_batches_total", "")).isEqualTo(committed);
            assertThat(Metrics.value("streembit_ingest_in_flight", "")).isEqualTo(4);
            assertThat(Metrics.value("streembit_ingest_waiting", "")).isGreaterThanOrEqualTo(1);
            given().get("/q/health/ready").then().statusCode(503);
            GatewayTestEnvironment.postgres().start();
            await().atMost(SETTLE).until(() -> Metrics.value("streembit_ingest_batches_total", "") > committed + 20);
            given().get("/q/health/ready").then().statusCode(200);

            // the Kafka broker down and back
            GatewayTestEnvironment.kafka().stop();
            // the scenario, not a wait for a condition: the broker stays down a while as devices publish
            // (sends stall for up to the producer's 15 s delivery timeout: no failure to wait for)
            Thread.sleep(4_000);
            GatewayTestEnvironment.kafka().start();
            double afterKafka = Metrics.value("streembit_ingest_batches_total", "");
            await().atMost(SETTLE).until(() -> Metrics.value("streembit_ingest_batches_total", "") > afterKafka + 20);

            // the portal failing until a batch used up its retries and became a dead letter
            double deadLetters = deadLettersWritten();
            portal.failAll(500);
            await().atMost(SETTLE).until(() -> deadLettersWritten() > deadLetters);
            portal.healthy();
            // then too slow (its answers come after the gateway's 1 s timeout) until a batch timed out and was sent
            // again
            Instant slowFrom = Instant.now();
            portal.delay(Duration.ofMillis(1_500));
            await().atMost(SETTLE).until(() -> sentAgainSince(portal, slowFrom));
            portal.healthy();
            publisher.stop();
            assertThat(publisher.failure()).isNull();
        }
        for (DeviceAgent device : devices) {
            await(device.flush());
        }
        // PostgreSQL: every reading exactly once
        try {
            await().atMost(SETTLE)
                    .untilAsserted(() -> assertThat(
                                    Sql.count("SELECT count(*) FROM readings WHERE device_id IN (" + idList + ")"))
                            .isEqualTo(devices.stream()
                                    .mapToLong(d -> d.stats().readingsPublished())
                                    .sum()));
        } catch (AssertionError | RuntimeException e) {
            for (DeviceAgent device : devices) {
                System.err.println("device " + device.account() + " " + device.stats() + "\n  at the gateway: "
                        + Api.admin()
                                .get("/api/devices/" + device.account())
                                .then()
                                .extract()
                                .asString());
            }
            throw e;
        }
        assertThat(Sql.count("SELECT count(*) FROM (SELECT device_id, seq, idx FROM readings WHERE device_id IN ("
                        + idList + ") GROUP BY 1, 2, 3 HAVING count(*) > 1) d"))
                .isZero();
        Set<String> batches = new HashSet<>();
        for (DeviceAgent device : devices) {
            long last = device.stats().lastN();
            await().atMost(SETTLE)
                    .untilAsserted(() -> assertThat(device.stats().ackedN()).isEqualTo(last));
            for (long n = 1; n <= last; n++) {
                batches.add(device.account() + "#" + n);
            }
        }

        // Kafka: every batch at least once (a retried batch may be there twice: consumers dedupe on the headers)
        List<ConsumerRecord<String, String>> records = GatewayTestEnvironment.kafka()
                .consumeAll(GatewayTestEnvironment.TOPIC, Integer.MAX_VALUE, Duration.ofSeconds(15));
        Set<String> inKafka = new HashSet<>();
        for (ConsumerRecord<String, String> r : records) {
            if (ids.contains(r.key())) {
                inKafka.add(r.key() + "#"
                        + new String(r.headers().lastHeader("Streembit-Seq").value(), StandardCharsets.UTF_8));
            }
        }
        assertThat(inKafka).isEqualTo(batches);

        // the portal: what it never took is in the dead letters; a re-drive delivers it
        List<Map<String, Object>> open = Api.admin()
                .get("/api/dead-letters?sink=portal&limit=1000")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
        assertThat(open).isNotEmpty();
        assertThat(open.get(0).get("error")).asString().isNotBlank();
        assertThat(open.get(0).get("attempts")).isEqualTo(4); // the first try and streembit.sinks.portal.max-retries=3
        Api.admin().post("/api/dead-letters/redrive?sink=portal").then().statusCode(200);
        assertThat(Api.admin()
                        .get("/api/dead-letters?sink=portal")
                        .then()
                        .extract()
                        .jsonPath()
                        .getList("$"))
                .isEmpty();
        Set<String> atPortal = new HashSet<>();
        for (String body : portal.accepted()) {
            var json = io.streembit.protocol.Json.parse(body.getBytes(StandardCharsets.UTF_8), "portal body");
            if (ids.contains(json.get("device").asText())) {
                atPortal.add(json.get("device").asText() + "#" + json.get("seq").asLong());
            }
        }
        assertThat(atPortal).isEqualTo(batches);
        for (DeviceAgent device : devices) {
            await(device.stop());
        }
    }

    private static double deliveryFailures() {
        return Metrics.value("streembit_ingest_delivery_failures_total", "");
    }

    private static double deadLettersWritten() {
        return Metrics.value("streembit_sink_batches_total", "outcome=\"ok\",sink=\"dead-letter\"");
    }

    /** True once the portal received one body twice since {@code since}: a send was given up and tried again. */
    private static boolean sentAgainSince(PortalStub portal, Instant since) {
        Set<String> bodies = new HashSet<>();
        return portal.received().stream().filter(r -> !r.time().isBefore(since)).anyMatch(r -> !bodies.add(r.body()));
    }
}
