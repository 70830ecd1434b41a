package io.streembit.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.streembit.device.DeviceAgent;
import io.streembit.gateway.testing.Api;
import io.streembit.gateway.testing.GatewayTestEnvironment;
import io.streembit.gateway.testing.Metrics;
import io.streembit.gateway.testing.PortalStub;
import io.streembit.gateway.testing.Sql;
import io.streembit.gateway.testing.TestDevices;
import io.streembit.protocol.Json;
import io.streembit.protocol.feed.Reading;
import io.streembit.protocol.offer.ContactOffers;
import io.streembit.protocol.offer.UserType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

import static io.streembit.gateway.testing.DhtTestNetwork.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Devices from the SDK publish over a multi-node DHT; every reading lands exactly once in
 * PostgreSQL, once per batch in Kafka and at the portal, and the devices get their acks.
 */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestEnvironment.class, restrictToAnnotatedClass = false)
class GatewayIngestTest {
    private static final Duration ARRIVAL = Duration.ofSeconds(60);

    record Fleet(DeviceAgent device, LongFunction<Reading> reading) {}

    @Test
    void everyReadingOfEveryDeviceLandsOnceInPostgresKafkaAndThePortal() throws Exception {
        long t0 = 1_764_000_000_000L;
        List<Fleet> fleet = List.of(
                new Fleet(
                        TestDevices.start("thermostat"),
                        i -> new Reading("temperature", t0 + i, DoubleNode.valueOf(20 + (i % 50) / 10.0))),
                new Fleet(
                        TestDevices.start("door-lock"),
                        i -> i % 2 == 0
                                ? new Reading("locked", t0 + i, BooleanNode.valueOf(i % 4 == 0))
                                : new Reading("battery", t0 + i, IntNode.valueOf((int) (100 - i % 100)))),
                new Fleet(
                        TestDevices.start("energy-meter"),
                        i -> new Reading("power", t0 + i, DoubleNode.valueOf(100.5 + i))));
        try {
            // two register with the TD inside their offer; the energy meter's offer has none, so the
            // gateway fetches the TD the device published in the DHT
            TestDevices.register(fleet.get(0).device());
            TestDevices.register(fleet.get(1).device());
            DeviceAgent meter = fleet.get(2).device();
            String bareOffer = ContactOffers.create(
                    meter.options().identity(), UserType.DEVICE, "127.0.0.1", meter.port(), "tcp", null);
            await().atMost(ARRIVAL).until(() -> meter.publishedTdSeq() > 0);
            Api.admin()
                    .contentType(ContentType.JSON)
                    .body(Map.of("offer", bareOffer, "labels", Map.of("site", "lab")))
                    .post("/api/devices")
                    .then()
                    .statusCode(201)
                    .body("tdSource", equalTo("dht"))
                    .body("labels.site", equalTo("lab"));

            int perDevice = 95; // batches of 10 and a last one of 5
            for (Fleet f : fleet) {
                List<Reading> readings = new ArrayList<>();
                for (int i = 0; i < perDevice; i++) {
                    readings.add(f.reading().apply(i));
                }
                await(f.device().publish(readings));
                await(f.device().flush());
            }

            for (Fleet f : fleet) {
                String id = f.device().account();
                await().atMost(ARRIVAL)
                        .untilAsserted(() -> assertThat(Sql.readings(id)).isEqualTo(perDevice));
                assertThat(Sql.count("SELECT count(DISTINCT (seq, idx)) FROM readings WHERE device_id = '" + id + "'"))
                        .isEqualTo(perDevice);
                // exactly the values sent, in order, with the device's timestamps
                List<Map<String, Object>> rows = Sql.rows("SELECT name, (extract(epoch from ts) * 1000)::bigint AS ts,"
                        + " value::text AS value FROM readings WHERE device_id = '" + id + "' ORDER BY seq, idx");
                for (int i = 0; i < perDevice; i++) {
                    Reading expected = f.reading().apply(i);
                    assertThat(rows.get(i).get("name")).isEqualTo(expected.name());
                    assertThat(((Number) rows.get(i).get("ts")).longValue()).isEqualTo(expected.ts());
                    JsonNode stored =
                            Json.parse(((String) rows.get(i).get("value")).getBytes(StandardCharsets.UTF_8), "v");
                    assertThat(stored.asDouble()).isEqualTo(expected.value().asDouble());
                }
                long batches = f.device().stats().lastN();
                // the device's buffer is freed by the gateway's ack
                await().atMost(ARRIVAL)
                        .untilAsserted(
                                () -> assertThat(f.device().stats().ackedN()).isEqualTo(batches));
                Api.admin()
                        .get("/api/devices/" + id)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("active"))
                        .body("cursor", equalTo((int) batches))
                        .body("lag", equalTo(0))
                        .body("errors", equalTo(0));
            }

            // Kafka: one record per batch, keyed by device id, with the dedup headers
            long totalBatches =
                    fleet.stream().mapToLong(f -> f.device().stats().lastN()).sum();
            Set<String> deviceIds = new HashSet<>();
            fleet.forEach(f -> deviceIds.add(f.device().account()));
            List<ConsumerRecord<String, String>> records = GatewayTestEnvironment.kafka()
                    .consumeAll(GatewayTestEnvironment.TOPIC, Integer.MAX_VALUE, Duration.ofSeconds(10));
            List<ConsumerRecord<String, String>> ours =
                    records.stream().filter(r -> deviceIds.contains(r.key())).toList();
            Set<String> keys = new HashSet<>();
            long kafkaReadings = 0;
            for (ConsumerRecord<String, String> r : ours) {
                assertThat(header(r, "Streembit-Device")).isEqualTo(r.key());
                keys.add(r.key() + "#" + header(r, "Streembit-Seq"));
                JsonNode body = Json.parse(r.value().getBytes(StandardCharsets.UTF_8), "kafka value");
                assertThat(body.get("device").asText()).isEqualTo(r.key());
                assertThat(body.get("seq").asText()).isEqualTo(header(r, "Streembit-Seq"));
                kafkaReadings += body.get("readings").size();
            }
            assertThat(keys).hasSize((int) totalBatches);
            assertThat(ours).hasSize((int) totalBatches); // no broker-side duplicates without a fault
            assertThat(kafkaReadings).isEqualTo(3L * perDevice);

            // the portal: one POST per batch with the same document
            PortalStub portal = GatewayTestEnvironment.portal();
            Set<String> posted = new HashSet<>();
            for (PortalStub.Request request : portal.received()) {
                if (request.status() / 100 == 2 && deviceIds.contains(request.header("Streembit-Device"))) {
                    assertThat(request.path()).isEqualTo("/ingest");
                    assertThat(request.header("Content-Type")).startsWith("application/json");
                    posted.add(request.header("Streembit-Device") + "#" + request.header("Streembit-Seq"));
                }
            }
            assertThat(posted).isEqualTo(keys);

            // per-sink figures, as a monitoring system scrapes them
            assertThat(Metrics.value("streembit_sink_batches_total", "outcome=\"ok\",sink=\"kafka\""))
                    .isGreaterThanOrEqualTo(totalBatches);
            assertThat(Metrics.value("streembit_sink_batches_total", "outcome=\"ok\",sink=\"portal\""))
                    .isGreaterThanOrEqualTo(totalBatches);
            assertThat(Metrics.value("streembit_sink_postgres_readings_total", ""))
                    .isGreaterThanOrEqualTo(3.0 * perDevice);
            assertThat(Metrics.value("streembit_ingest_readings_total", "")).isGreaterThanOrEqualTo(3.0 * perDevice);
        } finally {
            for (Fleet f : fleet) {
                await(f.device().stop());
            }
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
