package io.streembit.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.streembit.device.CommandHandler;
import io.streembit.device.DeviceAgent;
import io.streembit.device.Things;
import io.streembit.gateway.testing.Api;
import io.streembit.gateway.testing.DhtTestNetwork;
import io.streembit.gateway.testing.GatewayTestEnvironment;
import io.streembit.gateway.testing.Metrics;
import io.streembit.gateway.testing.PortalStub;
import io.streembit.gateway.testing.Sql;
import io.streembit.gateway.testing.TestDevices;
import io.streembit.protocol.Json;
import io.streembit.protocol.identity.Identity;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static io.streembit.gateway.testing.DhtTestNetwork.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Commands from a portal to real SDK devices over the multi-node DHT and their signed results
 * back: via REST and via Kafka; succeeded, failed in the handler, rejected by the device,
 * expired for an offline device, and delivered to a device that comes back; idempotent intake;
 * every refusal before anything is stored.
 */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestEnvironment.class, restrictToAnnotatedClass = false)
class CommandsTest {
    private static final Duration ROUND_TRIP = Duration.ofSeconds(30);

    /** A thermostat's handler: counts executions per action, sets the target, fails to reboot. */
    static final class Thermostat implements CommandHandler {
        final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

        @Override
        public CompletableFuture<JsonNode> execute(String action, JsonNode input) {
            runs.computeIfAbsent(action + " " + input, k -> new AtomicInteger()).incrementAndGet();
            if (action.equals("reboot")) {
                throw new IllegalStateException("bootloader locked");
            }
            return CompletableFuture.completedFuture(input.get("value"));
        }

        int runs(String action, JsonNode input) {
            AtomicInteger n = runs.get(action + " " + input);
            return n == null ? 0 : n.get();
        }
    }

    private static DeviceAgent thermostat(Identity identity, Path buffer, CommandHandler handler) throws Exception {
        return TestDevices.start(
                TestDevices.options("thermostat", identity, buffer).build(), handler);
    }

    private static Response send(String deviceId, Object body) {
        return Api.admin().contentType(ContentType.JSON).body(body).post("/api/devices/" + deviceId + "/commands");
    }

    private static JsonNode command(String id) throws Exception {
        return Json.parse(
                Api.admin()
                        .get("/api/commands/" + id)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asByteArray(),
                "command");
    }

    private static JsonNode awaitStatus(String id, String status) {
        return await().atMost(ROUND_TRIP)
                .until(() -> command(id), c -> c.get("status").asText().equals(status));
    }

    /** The records of {@code topic} whose value contains {@code text}, once there is one. */
    private static List<ConsumerRecord<String, String>> records(String topic, String text) {
        return await().atMost(ROUND_TRIP)
                .until(
                        () ->
                                GatewayTestEnvironment.kafka()
                                        .consumeAll(topic, Integer.MAX_VALUE, Duration.ofSeconds(2))
                                        .stream()
                                        .filter(r -> r.value().contains(text))
                                        .toList(),
                        l -> !l.isEmpty());
    }

    private static ObjectNode target(double value) {
        ObjectNode input = Json.object();
        input.put("value", BigDecimal.valueOf(value));
        return input;
    }

    @Test
    void aRestCommandRunsOnTheDeviceAndItsResultReachesTheApiTheCallbackAndKafka() throws Exception {
        Thermostat handler = new Thermostat();
        DeviceAgent device =
                thermostat(Identity.generate(DhtTestNetwork.RANDOM), Files.createTempDirectory("device"), handler);
        try (PortalStub callback = new PortalStub()) {
            TestDevices.register(device);
            String deviceId = device.options().identity().account();
            String correlation = "portal-" + UUID.randomUUID();
            Map<String, Object> body = Map.of(
                    "action",
                    "setTargetTemperature",
                    "input",
                    Map.of("value", 21.5),
                    "correlationId",
                    correlation,
                    "callbackUrl",
                    callback.url("/callback"),
                    "timeoutSeconds",
                    60);

            Response accepted = send(deviceId, body);
            accepted.then().statusCode(202).body("status", equalTo("QUEUED")).body("deviceId", equalTo(deviceId));
            String id = accepted.jsonPath().getString("id");
            assertThat(accepted.header("Location")).endsWith("/api/commands/" + id);

            JsonNode done = awaitStatus(id, "SUCCEEDED");
            assertThat(done.get("output").decimalValue()).isEqualByComparingTo("21.5");
            assertThat(done.get("caller").asText()).isNotBlank();
            assertThat(done.get("source").asText()).isEqualTo("rest");
            JsonNode dispatched = await().atMost(ROUND_TRIP).until(() -> command(id), c -> c.has("dispatchedAt"));
            // PUBLISHED and SUCCEEDED may come in either order: a device can answer before the
            // last storing node acknowledged the command
            List<String> events = dispatched.get("events").findValuesAsText("status");
            assertThat(events)
                    .hasSize(4)
                    .startsWith("QUEUED")
                    .endsWith("DISPATCHED")
                    .contains("PUBLISHED", "SUCCEEDED");

            // the callback got the result once, with its headers
            List<PortalStub.Request> posts = await().atMost(ROUND_TRIP)
                    .until(
                            () -> callback.received().stream()
                                    .filter(r ->
                                            r.path().equals("/callback") && id.equals(r.header("Streembit-Command-Id")))
                                    .toList(),
                            l -> !l.isEmpty());
            assertThat(posts).hasSize(1);
            JsonNode result = Json.parse(posts.get(0).body().getBytes(StandardCharsets.UTF_8), "callback");
            assertThat(result.get("commandId").asText()).isEqualTo(id);
            assertThat(result.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(result.get("correlationId").asText()).isEqualTo(correlation);
            assertThat(result.get("output").decimalValue()).isEqualByComparingTo("21.5");
            // and the results topic, keyed by device
            List<ConsumerRecord<String, String>> results = records("streembit.command-results", id);
            assertThat(results).hasSize(1);
            assertThat(results.get(0).key()).isEqualTo(deviceId);

            // the same request again is the same command, run once
            send(deviceId, body).then().statusCode(200).body("id", equalTo(id));
            assertThat(handler.runs("setTargetTemperature", target(21.5))).isEqualTo(1);
            // the same correlation id for another command is refused
            send(
                            deviceId,
                            Map.of(
                                    "action",
                                    "setTargetTemperature",
                                    "input",
                                    Map.of("value", 22),
                                    "correlationId",
                                    correlation))
                    .then()
                    .statusCode(409)
                    .body("error", equalTo("correlation-id-reused"));

            // a handler that throws: FAILED with its message
            String reboot = send(deviceId, Map.of("action", "reboot"))
                    .then()
                    .statusCode(202)
                    .extract()
                    .path("id");
            JsonNode failed = awaitStatus(reboot, "FAILED");
            assertThat(failed.get("error").asText()).contains("bootloader locked");

            Api.admin()
                    .get("/api/devices/" + deviceId + "/commands?status=succeeded")
                    .then()
                    .statusCode(200)
                    .body("size()", equalTo(1))
                    .body("[0].id", equalTo(id));
            Api.admin()
                    .get("/api/devices/" + deviceId + "/commands")
                    .then()
                    .statusCode(200)
                    .body("size()", equalTo(2));
            assertThat(Sql.count("SELECT count(*) FROM commands WHERE device_id = '" + deviceId + "'"))
                    .isEqualTo(2);
        } finally {
            await(device.stop());
        }
    }

    @Test
    void aBadCommandIsRefusedWithItsReasonAndNothingIsStored() throws Exception {
        DeviceAgent device = thermostat(
                Identity.generate(DhtTestNetwork.RANDOM), Files.createTempDirectory("device"), new Thermostat());
        DeviceAgent revoked = thermostat(
                Identity.generate(DhtTestNetwork.RANDOM), Files.createTempDirectory("device"), new Thermostat());
        try {
            TestDevices.register(device);
            TestDevices.register(revoked);
            String id = device.options().identity().account();
            Api.admin()
                    .delete("/api/devices/" + revoked.options().identity().account())
                    .then()
                    .statusCode(204);
            long before = Sql.count("SELECT count(*) FROM commands");
            double unknownActions =
                    Metrics.value("streembit_commands_intake_total", "outcome=\"unknown-action\",source=\"rest\"");

            send("0".repeat(40), Map.of("action", "reboot"))
                    .then()
                    .statusCode(404)
                    .body("error", equalTo("unknown-device"));
            send(revoked.options().identity().account(), Map.of("action", "reboot"))
                    .then()
                    .statusCode(409)
                    .body("error", equalTo("device-revoked"));
            send(id, Map.of("action", "selfDestruct"))
                    .then()
                    .statusCode(422)
                    .body("error", equalTo("unknown-action"))
                    .body("message", containsString("setTargetTemperature"));
            send(id, Map.of("action", "setTargetTemperature", "input", Map.of("value", 99)))
                    .then()
                    .statusCode(422)
                    .body("error", equalTo("invalid-input"))
                    .body("message", containsString("maximum"));
            send(id, Map.of("action", "setTargetTemperature"))
                    .then()
                    .statusCode(422)
                    .body("error", equalTo("invalid-input"));
            send(id, Map.of("action", "reboot", "callbackURL", "http://x"))
                    .then()
                    .statusCode(400)
                    .body("error", equalTo("malformed-command"))
                    .body("message", containsString("callbackURL"));
            send(id, Map.of("action", "reboot", "callbackUrl", "ftp://x/y"))
                    .then()
                    .statusCode(400)
                    .body("error", equalTo("malformed-command"));
            send(id, Map.of("action", "reboot", "timeoutSeconds", 0)).then().statusCode(400);
            send(id, Map.of("action", "reboot", "timeoutSeconds", 90_000))
                    .then()
                    .statusCode(400)
                    .body("message", containsString("at most 86400"));
            send(id, "{\"action\": ").then().statusCode(400);
            Api.admin().get("/api/commands/" + UUID.randomUUID()).then().statusCode(404);

            assertThat(Sql.count("SELECT count(*) FROM commands")).isEqualTo(before);
            assertThat(Metrics.value("streembit_commands_intake_total", "outcome=\"unknown-action\",source=\"rest\""))
                    .isEqualTo(unknownActions + 1);
        } finally {
            await(device.stop());
            await(revoked.stop());
        }
    }

    @Test
    void theDeviceRejectsWhatItsOwnThingDescriptionRefuses() throws Exception {
        Thermostat handler = new Thermostat();
        Identity identity = Identity.generate(DhtTestNetwork.RANDOM);
        DeviceAgent device = thermostat(identity, Files.createTempDirectory("device"), handler);
        try {
            // registered with a TD that allows up to 40 °C; the device's own allows 30
            ObjectNode td = (ObjectNode) Json.parse(
                    Things.forDevice("thermostat", identity.account()).bytes(), "td");
            ((ObjectNode) td.at("/actions/setTargetTemperature/input/properties/value")).put("maximum", 40);
            Api.admin()
                    .contentType(ContentType.JSON)
                    .body(Map.of("offer", device.contactOffer(), "td", td))
                    .post("/api/devices")
                    .then()
                    .statusCode(201);
            String id = send(identity.account(), Map.of("action", "setTargetTemperature", "input", Map.of("value", 35)))
                    .then()
                    .statusCode(202)
                    .extract()
                    .path("id");
            JsonNode rejected = awaitStatus(id, "REJECTED");
            assertThat(rejected.get("error").asText()).isNotBlank();
            assertThat(handler.runs).isEmpty();
        } finally {
            await(device.stop());
        }
    }

    @Test
    void anOfflineDeviceRunsItsCommandWhenItComesBackButNotOneThatExpiredMeanwhile() throws Exception {
        Identity identity = Identity.generate(DhtTestNetwork.RANDOM);
        Path buffer = Files.createTempDirectory("device");
        Thermostat handler = new Thermostat();
        DeviceAgent device = thermostat(identity, buffer, handler);
        TestDevices.register(device);
        await(device.stop());

        String expires = send(
                        identity.account(),
                        Map.of("action", "setTargetTemperature", "input", Map.of("value", 18), "timeoutSeconds", 2))
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        String waits = send(
                        identity.account(),
                        Map.of("action", "setTargetTemperature", "input", Map.of("value", 19), "timeoutSeconds", 120))
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        awaitStatus(waits, "PUBLISHED");
        JsonNode expired = awaitStatus(expires, "EXPIRED");
        assertThat(expired.get("error").asText()).contains("no result before");

        DeviceAgent back = thermostat(identity, buffer, handler);
        try {
            JsonNode done = awaitStatus(waits, "SUCCEEDED");
            assertThat(done.get("output").decimalValue()).isEqualByComparingTo("19");
            assertThat(handler.runs("setTargetTemperature", target(18))).isZero();
            assertThat(command(expires).get("status").asText()).isEqualTo("EXPIRED");
        } finally {
            await(back.stop());
        }
    }

    @Test
    void aKafkaCommandRunsAndARefusedRecordGoesToTheDeadLetterTopicWithItsReason() throws Exception {
        Thermostat handler = new Thermostat();
        Identity identity = Identity.generate(DhtTestNetwork.RANDOM);
        DeviceAgent device = thermostat(identity, Files.createTempDirectory("device"), handler);
        try {
            TestDevices.register(device);
            String marker = UUID.randomUUID().toString();
            GatewayTestEnvironment.kafka()
                    .produce(
                            "streembit.commands",
                            identity.account(),
                            Json.text(Json.MAPPER.valueToTree(Map.of(
                                    "deviceId",
                                    identity.account(),
                                    "action",
                                    "setTargetTemperature",
                                    "input",
                                    Map.of("value", 23.5),
                                    "correlationId",
                                    marker))));
            GatewayTestEnvironment.kafka()
                    .produce(
                            "streembit.commands",
                            identity.account(),
                            Json.text(Json.MAPPER.valueToTree(Map.of(
                                    "deviceId",
                                    identity.account(),
                                    "action",
                                    "openTheHatch",
                                    "correlationId",
                                    marker + "-bad"))));

            String id = await().atMost(ROUND_TRIP)
                    .until(
                            () -> Sql.rows("SELECT id FROM commands WHERE correlation_id = '" + marker + "'"),
                            rows -> !rows.isEmpty())
                    .get(0)
                    .get("id")
                    .toString();
            JsonNode done = awaitStatus(id, "SUCCEEDED");
            assertThat(done.get("caller").asText()).isEqualTo("kafka:streembit.commands");
            assertThat(done.get("source").asText()).isEqualTo("kafka");
            assertThat(handler.runs("setTargetTemperature", target(23.5))).isEqualTo(1);

            List<ConsumerRecord<String, String>> refused = records("streembit.commands.dead-letters", marker + "-bad");
            assertThat(refused).hasSize(1);
            assertThat(new String(
                            refused.get(0)
                                    .headers()
                                    .lastHeader("Streembit-Error")
                                    .value(),
                            StandardCharsets.UTF_8))
                    .isEqualTo("unknown-action");
            assertThat(new String(
                            refused.get(0)
                                    .headers()
                                    .lastHeader("Streembit-Error-Message")
                                    .value(),
                            StandardCharsets.UTF_8))
                    .contains("openTheHatch");
            assertThat(Sql.count("SELECT count(*) FROM commands WHERE correlation_id = '" + marker + "-bad'"))
                    .isZero();
        } finally {
            await(device.stop());
        }
    }

    @Test
    void sendingNeedsTheCommandRoleAndTheDeviceInTheCallersAllowList() throws Exception {
        Thermostat handler = new Thermostat();
        DeviceAgent labelled =
                thermostat(Identity.generate(DhtTestNetwork.RANDOM), Files.createTempDirectory("device"), handler);
        DeviceAgent other =
                thermostat(Identity.generate(DhtTestNetwork.RANDOM), Files.createTempDirectory("device"), handler);
        try {
            Api.admin()
                    .contentType(ContentType.JSON)
                    .body(Map.of("offer", labelled.contactOffer(), "labels", GatewayTestEnvironment.COMMAND_LABELS))
                    .post("/api/devices")
                    .then()
                    .statusCode(201);
            TestDevices.register(other);
            String allowed = labelled.options().identity().account();
            String notAllowed = other.options().identity().account();
            Map<String, Object> reboot = Map.of("action", "reboot");

            io.restassured.RestAssured.given()
                    .contentType(ContentType.JSON)
                    .body(reboot)
                    .post("/api/devices/" + allowed + "/commands")
                    .then()
                    .statusCode(401)
                    .body("error", equalTo("unauthenticated"));
            Api.reader()
                    .contentType(ContentType.JSON)
                    .body(reboot)
                    .post("/api/devices/" + allowed + "/commands")
                    .then()
                    .statusCode(403)
                    .body("error", equalTo("forbidden"));
            Api.commander()
                    .contentType(ContentType.JSON)
                    .body(reboot)
                    .post("/api/devices/" + notAllowed + "/commands")
                    .then()
                    .statusCode(403)
                    .body("error", equalTo("not-allowed"));
            String id = Api.commander()
                    .contentType(ContentType.JSON)
                    .body(reboot)
                    .post("/api/devices/" + allowed + "/commands")
                    .then()
                    .statusCode(202)
                    .extract()
                    .path("id");
            // the audit trail names the key that sent it; reading needs the read role
            Api.reader()
                    .get("/api/commands/" + id)
                    .then()
                    .statusCode(200)
                    .body("caller", equalTo("api-key:test-command"));
            Api.commander().get("/api/commands/" + id).then().statusCode(403);
            assertThat(Sql.count("SELECT count(*) FROM commands WHERE device_id = '" + notAllowed + "'"))
                    .isZero();
        } finally {
            await(labelled.stop());
            await(other.stop());
        }
    }

    @Test
    void aCallbackThatKeepsFailingIsDeadLetteredAndReDrivenLater() throws Exception {
        Thermostat handler = new Thermostat();
        DeviceAgent device =
                thermostat(Identity.generate(DhtTestNetwork.RANDOM), Files.createTempDirectory("device"), handler);
        try (PortalStub callback = new PortalStub()) {
            TestDevices.register(device);
            callback.failAll(500);
            String id = send(
                            device.options().identity().account(),
                            Map.of(
                                    "action",
                                    "setTargetTemperature",
                                    "input",
                                    Map.of("value", 20),
                                    "callbackUrl",
                                    callback.url("/results?portal=7")))
                    .then()
                    .statusCode(202)
                    .extract()
                    .path("id");
            awaitStatus(id, "SUCCEEDED");
            JsonNode dispatched = await().atMost(ROUND_TRIP).until(() -> command(id), c -> c.has("dispatchedAt"));
            JsonNode last =
                    dispatched.get("events").get(dispatched.get("events").size() - 1);
            assertThat(last.get("status").asText()).isEqualTo("DISPATCHED");
            assertThat(last.get("detail").asText()).startsWith("dead-lettered");
            // the first try and the configured 2 retries, then the dead letter
            assertThat(callback.received()).hasSize(3);

            List<Map<String, Object>> letters = Api.admin()
                    .get("/api/dead-letters?sink=command-callback")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("$");
            Map<String, Object> letter = letters.stream()
                    .filter(l -> id.equals(((Map<?, ?>) l.get("headers")).get("Streembit-Command-Id")))
                    .findFirst()
                    .orElseThrow();
            callback.healthy();
            Api.admin()
                    .post("/api/dead-letters/" + letter.get("id") + "/redrive")
                    .then()
                    .statusCode(200)
                    .body("delivered", equalTo(true));
            List<String> delivered = callback.accepted();
            assertThat(delivered).hasSize(1);
            JsonNode result = Json.parse(delivered.get(0).getBytes(StandardCharsets.UTF_8), "callback");
            assertThat(result.get("commandId").asText()).isEqualTo(id);
            assertThat(result.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(callback.received().get(3).query()).isEqualTo("portal=7");
        } finally {
            await(device.stop());
        }
    }
}
