package io.streembit.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import io.streembit.device.Things;
import io.streembit.gateway.api.ApiError;
import io.streembit.gateway.api.DeviceView;
import io.streembit.gateway.camel.TelemetryMessage;
import io.streembit.gateway.camel.TestResultHeaders;
import io.streembit.gateway.commands.CommandEvent;
import io.streembit.gateway.commands.CommandJson;
import io.streembit.gateway.commands.CommandRefused;
import io.streembit.gateway.commands.CommandRequest;
import io.streembit.gateway.commands.CommandStatus;
import io.streembit.gateway.commands.CommandStore;
import io.streembit.gateway.commands.StoredCommand;
import io.streembit.gateway.commands.TestCommands;
import io.streembit.gateway.ingest.BatchOpener;
import io.streembit.gateway.ingest.ServedDevice;
import io.streembit.gateway.ingest.TestBatches;
import io.streembit.gateway.ingest.VerifiedBatch;
import io.streembit.gateway.store.DeadLetterStore;
import io.streembit.gateway.store.DeviceCursors;
import io.streembit.gateway.store.ProblemStore;
import io.streembit.gateway.store.ReadingsWriter;
import io.streembit.gateway.store.WriterClock;
import io.streembit.gateway.testing.GatewaySchema;
import io.streembit.protocol.Json;
import io.streembit.protocol.feed.FeedChain;
import io.streembit.protocol.feed.FeedEntries;
import io.streembit.protocol.feed.Reading;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.offer.ContactOffers;
import io.streembit.protocol.offer.UserType;
import io.streembit.protocol.td.ThingDescription;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON Schemas of what leaves the gateway (schemas/, draft 2020-12): each is a valid
 * schema, the gateway's real output passes it, and documents that break it are refused.
 * Telemetry is built from a sealed feed record opened by the real {@link BatchOpener}; commands
 * are parsed by the real {@link CommandRequest} and taken through their life by the real
 * {@link CommandStore}; table rows are written by the real stores into a real PostgreSQL and read
 * back with row_to_json.
 */
class SchemasTest {
    private static final Path DIR = Path.of(System.getProperty("repo.root", "../.."), "schemas");
    private static final String META = "https://json-schema.org/draft/2020-12/schema";
    private static final List<String> GATEWAY_SCHEMAS = List.of(
            "telemetry-batch.schema.json",
            "telemetry-headers.schema.json",
            "reading-row.schema.json",
            "ingest-problem-row.schema.json",
            "dead-letter-row.schema.json",
            "device-row.schema.json",
            "device-view.schema.json",
            "api-error.schema.json",
            "command-request.schema.json",
            "command-view.schema.json",
            "command-result-message.schema.json",
            "command-result-headers.schema.json",
            "command-row.schema.json",
            "command-event-row.schema.json");

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Identity DEVICE = Identity.generate(RANDOM);
    private static final Identity GATEWAY = Identity.generate(RANDOM);
    private static final ThingDescription TD = Things.forDevice("thermostat", DEVICE.account());
    /** The device the command tests address (DEVICE is revoked by the table test). */
    private static final Identity COMMANDED = Identity.generate(RANDOM);

    private static final Instant NOW = Instant.parse("2025-11-24T16:00:00.412345Z");
    private static final List<Reading> READINGS = List.of(
            new Reading("temperature", 1_764_000_000_000L, DoubleNode.valueOf(21.5)),
            new Reading("humidity", 1_764_000_000_250L, DoubleNode.valueOf(40)),
            new Reading("$command-result", 1_764_000_000_300L, commandResult()));

    private static final Map<String, String> BY_ID = loadAll();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemas(BY_ID)
                    .schemaRegistryConfig(SchemaRegistryConfig.builder()
                            .formatAssertionsEnabled(true)
                            .build()));
    /** Serializes API records as Quarkus REST does: java.time as ISO strings, nulls kept. */
    private static final ObjectMapper API_JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private static PGSimpleDataSource dataSource;

    @BeforeAll
    static void startPostgres() throws Exception {
        dataSource = GatewaySchema.freshDatabase();
    }

    @Test
    void everyGatewaySchemaIsAValidDraft202012SchemaWithItsUrn() throws Exception {
        for (String file : GATEWAY_SCHEMAS) {
            JsonNode schema = Json.MAPPER.readTree(text(file));
            String name = file.substring(0, file.length() - ".schema.json".length());
            assertThat(schema.path("$schema").asText()).as(file).isEqualTo(META);
            assertThat(schema.path("$id").asText()).as(file).isEqualTo("urn:streembit:schema:v1:" + name);
            assertThat(schema.path("description").asText()).as(file).isNotBlank();
            assertThat(metaErrors(file)).as(file).isEmpty();
            REGISTRY.getSchema(text(file), InputFormat.JSON); // resolves its $refs
        }
    }

    @Test
    void telemetryBodyOfARealBatchIsValidAndStrict() throws Exception {
        VerifiedBatch batch = TestBatches.batch(DEVICE, GATEWAY, TD, READINGS, NOW);
        String body = TelemetryMessage.body(batch);
        assertThat(errors("telemetry-batch.schema.json", body)).isEmpty();
        ObjectNode json = (ObjectNode) Json.MAPPER.readTree(body);
        assertThat(json.get("readings")).hasSize(3);
        assertThat(json.get("receivedAt").asText()).isEqualTo("2025-11-24T16:00:00.412345Z");
        assertThat(json.get("publishedAt").asText()).isEqualTo("2025-11-24T16:00:00Z");

        VerifiedBatch empty = TestBatches.batch(DEVICE, GATEWAY, TD, List.of(), NOW);
        assertThat(errors("telemetry-batch.schema.json", TelemetryMessage.body(empty)))
                .isEmpty();

        assertRefused("telemetry-batch.schema.json", json, j -> j.remove("seq"));
        assertRefused("telemetry-batch.schema.json", json, j -> j.remove("readings"));
        assertRefused("telemetry-batch.schema.json", json, j -> j.put("extra", 1));
        assertRefused(
                "telemetry-batch.schema.json",
                json,
                j -> j.put("device", DEVICE.account().toUpperCase()));
        assertRefused(
                "telemetry-batch.schema.json",
                json,
                j -> j.put("device", DEVICE.account().substring(1)));
        assertRefused(
                "telemetry-batch.schema.json",
                json,
                j -> j.put("publicKey", "04" + DEVICE.publicKey().hex().substring(2)));
        assertRefused("telemetry-batch.schema.json", json, j -> j.put("seq", 0));
        assertRefused("telemetry-batch.schema.json", json, j -> j.put("seq", "1"));
        assertRefused("telemetry-batch.schema.json", json, j -> j.put("receivedAt", "yesterday"));
        assertRefused("telemetry-batch.schema.json", json, j -> j.put("publishedAt", 1_764_000_000));
        assertRefused("telemetry-batch.schema.json", json, j -> reading(j, 0).put("ts", -1));
        assertRefused("telemetry-batch.schema.json", json, j -> reading(j, 0).put("ts", 1.5));
        assertRefused("telemetry-batch.schema.json", json, j -> reading(j, 0).remove("index"));
        assertRefused("telemetry-batch.schema.json", json, j -> reading(j, 0).remove("value"));
        assertRefused("telemetry-batch.schema.json", json, j -> reading(j, 0).put("unit", "Cel"));
        assertRefused("telemetry-batch.schema.json", json, j -> reading(j, 0).put("name", ""));
        assertRefused("telemetry-batch.schema.json", json, j -> reading(j, 2).put("value", "done"));
    }

    @Test
    void telemetryHeadersOfARealBatchAreValid() throws Exception {
        VerifiedBatch batch = TestBatches.batch(DEVICE, GATEWAY, TD, READINGS, NOW);
        Map<String, Object> headers = TelemetryMessage.headers(batch);
        ObjectNode json = (ObjectNode) Json.MAPPER.valueToTree(headers);
        assertThat(errors("telemetry-headers.schema.json", Json.text(json))).isEmpty();
        assertThat(json.get("Streembit-Readings").asText()).isEqualTo("3");
        assertThat(json.get("Streembit-Received-At").asText()).isEqualTo(Long.toString(NOW.toEpochMilli()));

        assertThat(errors(
                        "telemetry-headers.schema.json",
                        Json.text(json.deepCopy().put("X-Route", "archive"))))
                .as("a route may add string headers")
                .isEmpty();
        assertRefused("telemetry-headers.schema.json", json, j -> j.remove("Streembit-Seq"));
        assertRefused("telemetry-headers.schema.json", json, j -> j.remove("Content-Type"));
        assertRefused("telemetry-headers.schema.json", json, j -> j.put("Streembit-Seq", 1));
        assertRefused("telemetry-headers.schema.json", json, j -> j.put("Streembit-Seq", "0"));
        assertRefused("telemetry-headers.schema.json", json, j -> j.put("Streembit-Device", "not-a-device"));
        assertRefused("telemetry-headers.schema.json", json, j -> j.put("Streembit-Readings", "three"));
        assertRefused("telemetry-headers.schema.json", json, j -> j.put("Content-Type", "text/plain"));
        assertRefused("telemetry-headers.schema.json", json, j -> j.put("X-Route", 7));
    }

    @Test
    void deviceViewAndApiErrorAsTheApiSerializesThem() throws Exception {
        Instant registered = Instant.parse("2025-11-24T15:59:58.123456Z");
        DeviceView active = new DeviceView(
                DEVICE.account(),
                DEVICE.publicKey().hex(),
                "boiler room",
                Map.of("site", "lab"),
                "active",
                TD.id(),
                "offer",
                registered,
                null,
                12,
                15,
                3,
                NOW,
                1,
                "decrypt-failed: the JWE is not for this gateway",
                NOW,
                null,
                null,
                TD.json());
        ObjectNode json = API_JSON.valueToTree(active);
        assertThat(errors("device-view.schema.json", Json.text(json))).isEmpty();

        DeviceView listed = new DeviceView(
                DEVICE.account(),
                DEVICE.publicKey().hex(),
                null,
                Map.of(),
                "revoked",
                TD.id(),
                "dht",
                registered,
                NOW,
                0,
                0,
                0,
                null,
                0,
                null,
                null,
                "StoreUnavailable: PostgreSQL: connection refused",
                NOW,
                null);
        assertThat(errors("device-view.schema.json", API_JSON.writeValueAsString(listed)))
                .isEmpty();

        assertRefused("device-view.schema.json", json, j -> j.remove("lag"));
        assertRefused("device-view.schema.json", json, j -> j.put("offer", "..."));
        assertRefused("device-view.schema.json", json, j -> j.put("id", "0x" + DEVICE.account()));
        assertRefused("device-view.schema.json", json, j -> j.put("status", "paused"));
        assertRefused("device-view.schema.json", json, j -> j.put("revokedAt", NOW.toString()));
        assertRefused("device-view.schema.json", json, j -> j.put("cursor", -1));
        assertRefused("device-view.schema.json", json, j -> j.put("registeredAt", 1_764_000_000_000L));
        assertRefused("device-view.schema.json", json, j -> ((ObjectNode) j.get("td")).remove("title"));

        ObjectNode error = API_JSON.valueToTree(new ApiError("unknown-device", "no device " + DEVICE.account()));
        assertThat(errors("api-error.schema.json", Json.text(error))).isEmpty();
        assertRefused("api-error.schema.json", error, j -> j.remove("message"));
        assertRefused("api-error.schema.json", error, j -> j.put("status", 404));
        assertRefused("api-error.schema.json", error, j -> j.put("error", "Unknown Device"));
    }

    @Test
    void tableRowsWrittenByTheGatewayAreValid() throws Exception {
        insertDevice(DEVICE);
        ObjectNode fresh = row("devices", "id = '" + DEVICE.account() + "'").get(0);
        assertThat(errors("device-row.schema.json", Json.text(fresh))).isEmpty();
        assertThat(fresh.get("td").isObject()).isTrue();
        assertRefused("device-row.schema.json", fresh, j -> j.put("cursor_hash", FeedChain.GENESIS_PREV));
        assertRefused("device-row.schema.json", fresh, j -> j.remove("version"));
        assertRefused("device-row.schema.json", fresh, j -> j.put("command_seq", -1));
        assertRefused(
                "device-row.schema.json",
                fresh,
                j -> j.put("id", DEVICE.account().toUpperCase()));

        // entry 1 through the readings sink: readings and cursor in one transaction
        ServedDevice served = new ServedDevice(DEVICE.account(), DEVICE.publicKey(), TD, 0, null);
        BatchOpener.Opened first = TestBatches.open(served, DEVICE, GATEWAY, FeedChain.genesis(), READINGS, NOW);
        List<ReadingsWriter.Commit> commits = new ArrayList<>();
        ReadingsWriter writer = new ReadingsWriter(
                dataSource,
                new DeviceCursors(dataSource),
                new ReadingsWriter.Settings(16, 1, java.time.Duration.ZERO),
                () -> 1,
                commits::add,
                io.streembit.gateway.store.CommitStep.NONE,
                WriterClock.SYSTEM);
        try {
            writer.write(first.batch()).get(30, TimeUnit.SECONDS);
        } finally {
            writer.close();
        }
        assertThat(commits).hasSize(1);
        List<ObjectNode> readings = row("readings", "device_id = '" + DEVICE.account() + "' ORDER BY idx");
        assertThat(readings).hasSize(3);
        for (ObjectNode reading : readings) {
            assertThat(errors("reading-row.schema.json", Json.text(reading)))
                    .as(reading.toString())
                    .isEmpty();
        }
        assertRefused("reading-row.schema.json", readings.get(0), j -> j.remove("received_at"));
        assertRefused("reading-row.schema.json", readings.get(0), j -> j.put("idx", -1));
        assertRefused("reading-row.schema.json", readings.get(0), j -> j.put("ts", 1_764_000_000_000L));
        assertRefused("reading-row.schema.json", readings.get(0), j -> j.put("device_id", "boiler"));
        assertRefused("reading-row.schema.json", readings.get(0), j -> j.put("batch", 1));

        // entry 2 sealed for another gateway: quarantined with its token, the cursor steps over it
        FeedEntries entries = FeedEntries.standard();
        long iat = NOW.getEpochSecond();
        String token = entries.seal(
                DEVICE, Identity.generate(RANDOM).publicKey(), first.next().nextEntry(READINGS), iat, iat + 3600);
        ProblemStore problems = new ProblemStore(dataSource, new DeviceCursors(dataSource));
        problems.quarantine(
                DEVICE.account(),
                2,
                "decrypt-failed",
                "the JWE is not for this gateway",
                token,
                FeedChain.hashOf(token),
                NOW);
        problems.record(
                DEVICE.account(),
                3L,
                "gap",
                "entries 3..4 are missing while later ones are stored;" + " waiting for the device to re-send them",
                "waiting",
                NOW);
        List<ObjectNode> problemRows = row("ingest_problems", "device_id = '" + DEVICE.account() + "' ORDER BY id");
        assertThat(problemRows).hasSize(2);
        for (ObjectNode problem : problemRows) {
            assertThat(errors("ingest-problem-row.schema.json", Json.text(problem)))
                    .as(problem.toString())
                    .isEmpty();
        }
        ObjectNode quarantined = problemRows.get(0);
        assertRefused("ingest-problem-row.schema.json", quarantined, j -> j.putNull("token"));
        assertRefused("ingest-problem-row.schema.json", quarantined, j -> j.put("action", "skipped"));
        assertRefused("ingest-problem-row.schema.json", quarantined, j -> j.remove("detail"));
        assertRefused("ingest-problem-row.schema.json", quarantined, j -> j.put("created_at", "now"));

        ObjectNode stepped = row("devices", "id = '" + DEVICE.account() + "'").get(0);
        assertThat(stepped.get("cursor_seq").asLong()).isEqualTo(2);
        assertThat(stepped.get("error_count").asLong()).isEqualTo(2);
        assertThat(errors("device-row.schema.json", Json.text(stepped))).isEmpty();
        assertRefused("device-row.schema.json", stepped, j -> j.putNull("cursor_hash"));
        assertRefused("device-row.schema.json", stepped, j -> j.putNull("last_error"));

        // a portal dead letter, open and then re-driven
        DeadLetterStore deadLetters = new DeadLetterStore(dataSource);
        Map<String, String> headers = new LinkedHashMap<>();
        TelemetryMessage.headers(first.batch()).forEach((name, value) -> headers.put(name, (String) value));
        long id = deadLetters.add(
                "portal",
                DEVICE.account(),
                1L,
                TelemetryMessage.body(first.batch()),
                headers,
                "HttpOperationFailedException: HTTP operation failed invoking http://127.0.0.1:9/ingest with"
                        + " statusCode: 503",
                6,
                NOW);
        ObjectNode open = row("dead_letters", "id = " + id).get(0);
        assertThat(errors("dead-letter-row.schema.json", Json.text(open))).isEmpty();
        assertThat(errors("telemetry-headers.schema.json", Json.text(open.get("headers"))))
                .isEmpty();
        assertThat(errors("telemetry-batch.schema.json", open.get("body").asText()))
                .isEmpty();
        assertRefused("dead-letter-row.schema.json", open, j -> j.put("attempts", 0));
        assertRefused(
                "dead-letter-row.schema.json", open, j -> ((ObjectNode) j.get("headers")).put("Streembit-Seq", 1));
        assertRefused("dead-letter-row.schema.json", open, j -> j.remove("redriven_at"));
        deadLetters.redriven(id, NOW.plusSeconds(60));
        assertThat(errors(
                        "dead-letter-row.schema.json",
                        Json.text(row("dead_letters", "id = " + id).get(0))))
                .isEmpty();

        // revoked: revoked_at is set
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            st.executeUpdate(
                    "UPDATE devices SET status = 'revoked', revoked_at = now() WHERE id = '" + DEVICE.account() + "'");
        }
        ObjectNode revoked = row("devices", "id = '" + DEVICE.account() + "'").get(0);
        assertThat(errors("device-row.schema.json", Json.text(revoked))).isEmpty();
        assertRefused("device-row.schema.json", revoked, j -> j.putNull("revoked_at"));
        assertRefused("device-row.schema.json", revoked, j -> j.put("status", "suspended"));
    }

    @Test
    void commandsStoredByTheRealStoreRenderValidViewsResultsAndRows() throws Exception {
        insertDevice(COMMANDED);
        CommandStore store = new CommandStore(dataSource);

        // REST, with a correlation id and a callback: QUEUED, PUBLISHED, SUCCEEDED, dispatched, then a late duplicate
        StoredCommand ok = create(
                store,
                "{'action': 'setTargetTemperature', 'input': {'value': 21.5},"
                        + " 'timeoutSeconds': 300, 'correlationId': 'portal-7',"
                        + " 'callbackUrl': 'https://portal.example/streembit/results?tenant=7'}",
                "api-key:portal",
                "rest",
                NOW);
        ObjectNode queued = assertValidCommand(store, ok.id());
        assertThat(queued.has("publishedAt")).isFalse();
        assertThat(queued.get("createdAt").asText()).isEqualTo("2025-11-24T16:00:00.412Z");
        assertRefused("command-view.schema.json", queued, j -> j.put("status", "SENT"));
        assertRefused("command-view.schema.json", queued, j -> j.remove("action"));
        assertRefused("command-view.schema.json", queued, j -> j.put("timeoutSeconds", 300));
        assertRefused(
                "command-view.schema.json",
                queued,
                j -> j.put("deviceId", COMMANDED.account().toUpperCase()));
        assertRefused("command-view.schema.json", queued, j -> j.put("createdAt", "2025-11-24 16:00:00"));
        assertRefused("command-view.schema.json", queued, j -> j.put("createdAt", NOW.toEpochMilli()));
        assertRefused("command-view.schema.json", queued, j -> j.put("seq", 0));
        assertRefused("command-view.schema.json", queued, j -> j.putNull("publishedAt"));
        assertRefused("command-view.schema.json", queued, j -> j.put("finishedAt", NOW.toString()));
        assertRefused(
                "command-view.schema.json",
                queued,
                j -> j.put("payloadHash", ok.payloadHash().toUpperCase()));
        assertRefused("command-view.schema.json", queued, j -> event(j, 0).put("status", "SENT"));
        assertRefused("command-view.schema.json", queued, j -> event(j, 0).remove("at"));
        assertRefused("command-view.schema.json", queued, j -> event(j, 0).remove("detail"));
        assertRefused("command-view.schema.json", queued, j -> event(j, 0).put("id", 1));
        assertRefused("command-view.schema.json", queued, j -> j.putArray("events"));
        ObjectNode queuedRow = row("commands", "id = '" + ok.id() + "'").get(0);
        assertRefused("command-row.schema.json", queuedRow, j -> j.put("status", "queued"));
        assertRefused("command-row.schema.json", queuedRow, j -> j.remove("token"));
        assertRefused("command-row.schema.json", queuedRow, j -> j.put("command_seq", 1));
        assertRefused("command-row.schema.json", queuedRow, j -> j.put("created_at", "yesterday"));
        assertRefused("command-row.schema.json", queuedRow, j -> j.put("device_id", "boiler"));
        assertRefused("command-row.schema.json", queuedRow, j -> j.put("published_at", NOW.toString()));
        assertRefused("command-row.schema.json", queuedRow, j -> j.put("callback_url", "ftp://portal.example/"));

        assertThat(store.markPublished(ok.id(), NOW.plusMillis(350))).isTrue();
        ObjectNode published = assertValidCommand(store, ok.id());
        assertRefused("command-view.schema.json", published, j -> j.remove("publishedAt"));
        assertRefused("command-view.schema.json", published, j -> j.put("error", "too slow"));
        assertRefused(
                "command-row.schema.json",
                row("commands", "id = '" + ok.id() + "'").get(0),
                j -> j.putNull("published_at"));

        assertThat(applyResults(
                        store,
                        new CommandStore.Result(
                                ok.id(),
                                COMMANDED.account(),
                                CommandStatus.SUCCEEDED,
                                DoubleNode.valueOf(21.5),
                                null,
                                2,
                                FeedChain.hashOf("entry 2"),
                                NOW.plusSeconds(2))))
                .hasSize(1);
        ObjectNode succeeded = assertValidCommand(store, ok.id());
        assertRefused("command-view.schema.json", succeeded, j -> j.remove("finishedAt"));
        assertRefused("command-view.schema.json", succeeded, j -> j.put("error", "late"));
        assertRefused("command-view.schema.json", succeeded, j -> event(j, 2).put("detail", "ok"));
        StoredCommand closed = store.find(ok.id()).orElseThrow();
        ObjectNode result = CommandJson.result(closed);
        assertThat(result.get("output").asDouble()).isEqualTo(21.5);
        assertRefused("command-result-message.schema.json", result, j -> j.put("status", "PUBLISHED"));
        assertRefused("command-result-message.schema.json", result, j -> j.remove("finishedAt"));
        assertRefused("command-result-message.schema.json", result, j -> j.remove("commandId"));
        assertRefused("command-result-message.schema.json", result, j -> j.put("callbackUrl", closed.callbackUrl()));
        assertRefused("command-result-message.schema.json", result, j -> j.put("error", "late"));
        assertRefused("command-result-message.schema.json", result, j -> j.put("commandId", "cmd-1"));
        assertRefused("command-result-message.schema.json", result, j -> j.put("createdAt", "16:00"));
        assertRefused("command-result-message.schema.json", result, j -> j.put("status", "FAILED"));
        ObjectNode headers = Json.MAPPER.valueToTree(TestResultHeaders.of(closed));
        assertThat(headers.get("Streembit-Callback-Url").asText()).isEqualTo(closed.callbackUrl());
        assertThat(errors(
                        "command-result-headers.schema.json",
                        Json.text(headers.deepCopy().put("kafka.KEY", COMMANDED.account()))))
                .as("a route may add string headers")
                .isEmpty();
        assertRefused("command-result-headers.schema.json", headers, j -> j.remove("Streembit-Command-Id"));
        assertRefused("command-result-headers.schema.json", headers, j -> j.remove("Content-Type"));
        assertRefused("command-result-headers.schema.json", headers, j -> j.put("Streembit-Command-Status", "QUEUED"));
        assertRefused("command-result-headers.schema.json", headers, j -> j.put("Streembit-Device", "boiler"));
        assertRefused("command-result-headers.schema.json", headers, j -> j.put("Streembit-Correlation-Id", ""));
        assertRefused("command-result-headers.schema.json", headers, j -> j.put("Content-Type", "text/plain"));
        assertRefused("command-result-headers.schema.json", headers, j -> j.put("X-Route", 7));

        assertThat(store.markDispatched(ok.id(), "sent", NOW.plusMillis(2100))).isTrue();
        assertThat(applyResults(
                        store,
                        new CommandStore.Result(
                                ok.id(),
                                COMMANDED.account(),
                                CommandStatus.FAILED,
                                null,
                                "a second answer",
                                3,
                                FeedChain.hashOf("entry 3"),
                                NOW.plusSeconds(3))))
                .isEmpty();
        ObjectNode trail = assertValidCommand(store, ok.id());
        assertThat(trail.get("events").findValuesAsText("status"))
                .containsExactly("QUEUED", "PUBLISHED", "SUCCEEDED", "DISPATCHED", "LATE-RESULT");
        ObjectNode row = row("commands", "id = '" + ok.id() + "'").get(0);
        assertRefused("command-row.schema.json", row, j -> j.putNull("finished_at"));
        assertRefused("command-row.schema.json", row, j -> j.putNull("result_seq"));
        assertRefused("command-row.schema.json", row, j -> j.put("error", "late"));
        assertRefused("command-row.schema.json", row, j -> j.put("result_hash", "entry 2"));
        List<ObjectNode> events = row("command_events", "command_id = '" + ok.id() + "' ORDER BY id");
        assertRefused("command-event-row.schema.json", events.get(0), j -> j.put("status", "SENT"));
        assertRefused("command-event-row.schema.json", events.get(0), j -> j.remove("at"));
        assertRefused("command-event-row.schema.json", events.get(0), j -> j.put("at", "now"));
        assertRefused("command-event-row.schema.json", events.get(0), j -> j.putNull("detail"));
        assertRefused("command-event-row.schema.json", events.get(0), j -> j.put("command_id", "portal-7"));
        assertRefused("command-event-row.schema.json", events.get(0), j -> j.put("caller", "api-key:portal"));
        assertRefused("command-event-row.schema.json", events.get(2), j -> j.put("detail", "ok"));

        // Kafka, the device in the body and the record's offset as correlation id: FAILED
        StoredCommand failing = create(
                store,
                "{'deviceId': '" + COMMANDED.account() + "',"
                        + " 'action': 'setTargetTemperature', 'input': {'value': 29.5}, 'correlationId': 'kafka:0:41'}",
                "kafka:streembit.commands",
                "kafka",
                NOW.plusSeconds(1));
        assertThat(store.markPublished(failing.id(), NOW.plusSeconds(1))).isTrue();
        applyResults(
                store,
                new CommandStore.Result(
                        failing.id(),
                        COMMANDED.account(),
                        CommandStatus.FAILED,
                        null,
                        "the valve does not move",
                        4,
                        FeedChain.hashOf("entry 4"),
                        NOW.plusSeconds(4)));
        ObjectNode failed = assertValidCommand(store, failing.id());
        assertRefused("command-view.schema.json", failed, j -> j.remove("error"));
        assertRefused("command-view.schema.json", failed, j -> j.put("output", 29.5));
        assertRefused(
                "command-result-message.schema.json",
                CommandJson.result(store.find(failing.id()).orElseThrow()),
                j -> j.remove("error"));
        assertRefused(
                "command-row.schema.json",
                row("commands", "id = '" + failing.id() + "'").get(0),
                j -> j.put("output", 29.5));

        // a JWT caller, no input: the device's REJECTED comes before the gateway recorded the
        // publication, which is recorded then without moving the status back
        StoredCommand refusing =
                create(store, "{'action': 'reboot'}", "jwt:ops@example.com", "rest", NOW.plusSeconds(2));
        applyResults(
                store,
                new CommandStore.Result(
                        refusing.id(),
                        COMMANDED.account(),
                        CommandStatus.REJECTED,
                        null,
                        "not-allowed: reboots are disabled",
                        5,
                        FeedChain.hashOf("entry 5"),
                        NOW.plusSeconds(5)));
        assertThat(store.markPublished(refusing.id(), NOW.plusSeconds(6))).isTrue();
        assertThat(store.markPublished(refusing.id(), NOW.plusSeconds(7))).isFalse();
        ObjectNode rejected = assertValidCommand(store, refusing.id());
        assertThat(rejected.has("input")).isFalse();
        assertThat(rejected.get("status").asText()).isEqualTo("REJECTED");
        assertThat(rejected.get("publishedAt").asText())
                .isEqualTo(NOW.plusSeconds(6).toString());
        assertThat(TestResultHeaders.of(store.find(refusing.id()).orElseThrow()))
                .doesNotContainKeys("Streembit-Correlation-Id", "Streembit-Callback-Url");

        // an operator's route with a short timeout: PUBLISHED, EXPIRED, its callback dead-lettered
        StoredCommand late = create(
                store,
                "{'action': 'reboot', 'timeoutSeconds': 60," + " 'callbackUrl': 'http://127.0.0.1:9/results'}",
                "route:plant-intake",
                "plant",
                NOW.plusSeconds(3));
        assertThat(store.markPublished(late.id(), NOW.plusSeconds(3))).isTrue();
        assertThat(store.expireDue(NOW.plusSeconds(70))).containsExactly(late.id());
        assertThat(store.markDispatched(
                        late.id(),
                        "dead-lettered: HttpOperationFailedException: HTTP operation failed"
                                + " invoking http://127.0.0.1:9/results with statusCode: 503",
                        NOW.plusSeconds(71)))
                .isTrue();
        ObjectNode expired = assertValidCommand(store, late.id());
        assertThat(expired.get("error").asText())
                .startsWith("no result before ")
                .endsWith(" (PUBLISHED)");
        assertRefused("command-view.schema.json", expired, j -> j.put("status", "TIMEOUT"));
        assertRefused(
                "command-row.schema.json",
                row("commands", "id = '" + late.id() + "'").get(0),
                j -> j.put("result_seq", 6));
        ObjectNode device = row("devices", "id = '" + COMMANDED.account() + "'").get(0);
        assertThat(device.get("command_seq").asLong())
                .as("four queue positions taken")
                .isEqualTo(4);
        assertThat(errors("device-row.schema.json", Json.text(device))).isEmpty();
    }

    @Test
    void commandRequestSchemaAndParserAgree() {
        String device = "'deviceId': '" + COMMANDED.account() + "'";
        Map<String, Boolean> cases = new LinkedHashMap<>();
        cases.put("{'action': 'reboot'}", true);
        cases.put(
                "{'action': 'setTargetTemperature', 'input': {'value': 21.5}, 'timeoutSeconds': 60,"
                        + " 'correlationId': 'portal-7', 'callbackUrl': 'https://portal.example/results?tenant=7#x', "
                        + device + "}",
                true);
        cases.put(
                "{'action': 'reboot', 'input': null, 'timeoutSeconds': null, 'correlationId': null,"
                        + " 'callbackUrl': null, 'deviceId': null}",
                true);
        cases.put("{'action': 'reboot', 'input': [1, 'two', false]}", true);
        cases.put("{'action': '" + "a".repeat(128) + "', 'correlationId': '" + "c".repeat(128) + "'}", true);
        cases.put("{'action': 'reboot', 'timeoutSeconds': 1}", true);
        cases.put("{'action': 'reboot', 'timeoutSeconds': 2147483647}", true);
        cases.put("{'action': 'reboot', 'callbackUrl': 'HTTP://127.0.0.1:8080/cb'}", true);
        cases.put("{'action': 'reboot', 'callbackUrl': 'http://[::1]:9/cb'}", true);
        cases.put("{'action': 'reboot', 'callbackUrl': 'https://user@portal.example'}", true);
        cases.put("{'action': 'reboot', 'callbackUrl': 'https://portal.example/" + "p".repeat(2048 - 23) + "'}", true);
        cases.put("{'action': 'reboot', 'callbackUrl': 'http://3com/'}", true);
        cases.put("{'action': 'reboot', 'callbackUrl': 'http://portal.example:/'}", true);
        cases.put("{'action': 'reboot', 'callbackUrl': 'http://portal.example./'}", true);
        cases.put("{'action': 'reboot', 'callbackUrl': 'https://portal.example#frag'}", true);
        cases.put("{'action': 'reboot', 'callbackUrl': 'http://xn--bcher-kva.example/'}", true);
        cases.put("{'action': 'reboot', 'callbackUrl': 'http://10.0.0.1:8080/'}", true);
        cases.put("[{'action': 'reboot'}]", false);
        cases.put("'reboot'", false);
        cases.put("{}", false);
        cases.put("{'action': ''}", false);
        cases.put("{'action': null}", false);
        cases.put("{'action': 7}", false);
        cases.put("{'action': '" + "a".repeat(129) + "'}", false);
        cases.put("{'action': 'reboot', 'callbackURL': 'https://portal.example/results'}", false);
        cases.put("{'action': 'reboot', 'exp': 1764000000}", false);
        cases.put("{'action': 'reboot', 'timeoutSeconds': 0}", false);
        cases.put("{'action': 'reboot', 'timeoutSeconds': -5}", false);
        cases.put("{'action': 'reboot', 'timeoutSeconds': '60'}", false);
        cases.put("{'action': 'reboot', 'timeoutSeconds': 1.5}", false);
        cases.put("{'action': 'reboot', 'timeoutSeconds': 2147483648}", false);
        cases.put("{'action': 'reboot', 'correlationId': ''}", false);
        cases.put("{'action': 'reboot', 'correlationId': '" + "c".repeat(129) + "'}", false);
        cases.put("{'action': 'reboot', 'correlationId': 7}", false);
        cases.put("{'action': 'reboot', 'callbackUrl': 'ftp://portal.example/results'}", false);
        cases.put("{'action': 'reboot', 'callbackUrl': '/results'}", false);
        cases.put("{'action': 'reboot', 'callbackUrl': 'portal.example/results'}", false);
        cases.put("{'action': 'reboot', 'callbackUrl': 'mailto:ops@portal.example'}", false);
        cases.put("{'action': 'reboot', 'callbackUrl': 'http://'}", false);
        cases.put("{'action': 'reboot', 'callbackUrl': 'http:///results'}", false);
        cases.put("{'action': 'reboot', 'callbackUrl': 'https://portal.example/a b'}", false);
        cases.put("{'action': 'reboot', 'callbackUrl': 'http://under_score.example/results'}", false);
        cases.put("{'action': 'reboot', 'callbackUrl': 'https://portal.example/" + "p".repeat(2049 - 23) + "'}", false);
        cases.put("{'action': 'reboot', 'callbackUrl': 'http://1abc.2def/'}", false);
        cases.put("{'action': 'reboot', 'callbackUrl': 'http://10.0.0.256/'}", false);
        cases.put("{'action': 'reboot', 'callbackUrl': 'http://portal.3com/'}", false);
        cases.put("{'action': 'reboot', 'callbackUrl': 'http://portal-.example/'}", false);
        cases.put("{'action': 'reboot', 'callbackUrl': 'http://portal.example:abc/'}", false);
        cases.put("{'action': 'reboot', 'callbackUrl': 'http://a..b/'}", false);
        cases.put("{'action': 'reboot', 'callbackUrl': 'http://[::1/'}", false);
        cases.put("{'action': 'reboot', 'callbackUrl': 'http://[zz::1]/'}", false);
        cases.put("{'action': 'reboot', 'callbackUrl': 'http://user@:80/'}", false);
        cases.put("{'action': 'reboot', 'callbackUrl': 'http://portal.example/%zz'}", false);
        cases.put("{'action': 'reboot', 'callbackUrl': 'http://portal.example/a|b'}", false);
        cases.put("{'action': 'reboot', 'callbackUrl': 'http://portal.example/?q={x}'}", false);
        cases.put("{'action': 'reboot', 'callbackUrl': 42}", false);
        cases.put("{'action': 'reboot', 'deviceId': 7}", false);
        cases.forEach((request, valid) -> assertTaken(request, valid, valid));
        // cases where schema and parser once differed: device ids, integral decimals, lengths in
        // code points, non-ASCII in a URL
        Map<String, Boolean> formerlyApart = new LinkedHashMap<>();
        formerlyApart.put("{'action': 'reboot', 'deviceId': 'boiler'}", false);
        formerlyApart.put(
                "{'action': 'reboot', 'deviceId': '" + COMMANDED.account().toUpperCase() + "'}", false);
        formerlyApart.put("{'action': 'reboot', 'timeoutSeconds': 60.0}", true);
        formerlyApart.put("{'action': 'reboot', 'timeoutSeconds': 6e1}", true);
        formerlyApart.put("{'action': 'reboot', 'timeoutSeconds': 60.5}", false);
        formerlyApart.put("{'action': '" + "\uD83D\uDE00".repeat(100) + "'}", true);
        formerlyApart.put("{'action': 'reboot', 'callbackUrl': 'https://portal.example/caf\u00e9'}", false);
        formerlyApart.forEach((request, valid) -> assertTaken(request, valid, valid));
    }

    private static void insertDevice(Identity device) throws Exception {
        ThingDescription td = Things.forDevice("thermostat", device.account());
        String offer = ContactOffers.parse(ContactOffers.create(device, UserType.DEVICE, "127.0.0.1", 4000, "tcp", td))
                .token();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                INSERT INTO devices (id, public_key, name, labels, td, td_id, td_source, offer, status, registered_at)
                VALUES (?, ?, ?, ?::jsonb, ?::jsonb, ?, 'offer', ?, 'active', ?)""")) {
            ps.setString(1, device.account());
            ps.setString(2, device.publicKey().hex());
            ps.setString(3, "boiler room");
            ps.setString(4, "{\"site\": \"lab\"}");
            ps.setString(5, Json.text(td.json()));
            ps.setString(6, td.id());
            ps.setString(7, offer);
            ps.setTimestamp(8, Timestamp.from(NOW));
            ps.executeUpdate();
        }
    }

    /**
     * {@code SELECT row_to_json(t) FROM table t WHERE ...}, once in UTC and once in a session
     * time zone with a half-hour offset (row_to_json renders timestamptz in the session's zone);
     * both renderings must be the same instants, and each is returned.
     */
    private static List<ObjectNode> row(String table, String where) throws Exception {
        List<ObjectNode> rows = new ArrayList<>();
        for (String zone : List.of("UTC", "Asia/Kolkata")) {
            try (Connection c = dataSource.getConnection();
                    Statement st = c.createStatement()) {
                st.execute("SET TimeZone = '" + zone + "'");
                try (ResultSet rs =
                        st.executeQuery("SELECT row_to_json(t)::text FROM " + table + " t WHERE " + where)) {
                    while (rs.next()) {
                        rows.add((ObjectNode) Json.MAPPER.readTree(rs.getString(1)));
                    }
                }
            }
        }
        int half = rows.size() / 2;
        for (int i = 0; i < half; i++) {
            assertThat(errors(schemaOf(table), Json.text(rows.get(half + i))))
                    .as("rendered in Asia/Kolkata")
                    .isEmpty();
        }
        return rows.subList(0, half);
    }

    private static String schemaOf(String table) {
        return switch (table) {
            case "devices" -> "device-row.schema.json";
            case "readings" -> "reading-row.schema.json";
            case "ingest_problems" -> "ingest-problem-row.schema.json";
            case "dead_letters" -> "dead-letter-row.schema.json";
            case "commands" -> "command-row.schema.json";
            case "command_events" -> "command-event-row.schema.json";
            default -> throw new IllegalArgumentException(table);
        };
    }

    /** The request as a portal sends it (quotes written as '), parsed and stored as the intake does. */
    private static StoredCommand create(CommandStore store, String request, String caller, String source, Instant at)
            throws Exception {
        String json = request.replace('\'', '"');
        assertThat(errors("command-request.schema.json", json)).as(json).isEmpty();
        CommandRequest parsed = CommandRequest.parse(json.getBytes(StandardCharsets.UTF_8));
        if (parsed.deviceId() == null) {
            parsed = parsed.forDevice(COMMANDED.account());
        }
        return TestCommands.create(store, GATEWAY, COMMANDED.publicKey(), parsed, caller, source, at);
    }

    /** Closes commands with results in one transaction, as the readings writer does. */
    private static List<String> applyResults(CommandStore store, CommandStore.Result... results) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            List<String> closed = store.applyResults(c, List.of(results));
            c.commit();
            return closed;
        }
    }

    /**
     * Everything the gateway renders of command {@code id} as it stands: both views, its rows in
     * commands and command_events, and once it is closed its result message and headers. Returns
     * the view with events.
     */
    private static ObjectNode assertValidCommand(CommandStore store, String id) throws Exception {
        StoredCommand command = store.find(id).orElseThrow();
        List<CommandEvent> events = store.events(id);
        ObjectNode view = CommandJson.view(command, events);
        assertThat(errors("command-view.schema.json", Json.text(view)))
                .as(view.toString())
                .isEmpty();
        assertThat(errors("command-view.schema.json", Json.text(CommandJson.view(command, null))))
                .isEmpty();
        ObjectNode row = row("commands", "id = '" + id + "'").get(0);
        assertThat(errors("command-row.schema.json", Json.text(row)))
                .as(row.toString())
                .isEmpty();
        List<ObjectNode> eventRows = row("command_events", "command_id = '" + id + "' ORDER BY id");
        assertThat(eventRows).hasSameSizeAs(events);
        for (ObjectNode event : eventRows) {
            assertThat(errors("command-event-row.schema.json", Json.text(event)))
                    .as(event.toString())
                    .isEmpty();
        }
        ObjectNode result = CommandJson.result(command);
        ObjectNode headers = Json.MAPPER.valueToTree(TestResultHeaders.of(command));
        assertThat(errors("command-result-message.schema.json", Json.text(result))
                        .isEmpty())
                .as(result.toString())
                .isEqualTo(command.status().isFinal());
        assertThat(errors("command-result-headers.schema.json", Json.text(headers))
                        .isEmpty())
                .as(headers.toString())
                .isEqualTo(command.status().isFinal());
        return view;
    }

    /** Whether command-request.schema.json and CommandRequest.parse take {@code request} (quotes written as '). */
    private static void assertTaken(String request, boolean bySchema, boolean byParser) {
        String json = request.replace('\'', '"');
        assertThat(errors("command-request.schema.json", json).isEmpty())
                .as("the schema takes " + json)
                .isEqualTo(bySchema);
        boolean parsed;
        try {
            CommandRequest.parse(json.getBytes(StandardCharsets.UTF_8));
            parsed = true;
        } catch (CommandRefused e) {
            parsed = false;
        }
        assertThat(parsed).as("CommandRequest.parse takes " + json).isEqualTo(byParser);
    }

    private static ObjectNode event(ObjectNode view, int index) {
        return (ObjectNode) view.get("events").get(index);
    }

    private static ObjectNode reading(ObjectNode batch, int index) {
        return (ObjectNode) batch.get("readings").get(index);
    }

    private static void assertRefused(String file, ObjectNode valid, Consumer<ObjectNode> breakIt) {
        ObjectNode broken = valid.deepCopy();
        breakIt.accept(broken);
        assertThat(errors(file, Json.text(broken)))
                .as(file + " refuses " + broken)
                .isNotEmpty();
    }

    private static JsonNode commandResult() {
        ObjectNode result = Json.object();
        result.put("id", "cmd-1");
        result.put("status", "ok");
        result.set("output", DoubleNode.valueOf(21.5));
        return result;
    }

    private static List<String> errors(String file, String json) {
        Schema schema = REGISTRY.getSchema(text(file), InputFormat.JSON);
        return schema.validate(json, InputFormat.JSON).stream()
                .map(Object::toString)
                .toList();
    }

    private static List<String> metaErrors(String file) {
        Schema meta = REGISTRY.getSchema(SchemaLocation.of(META));
        return meta.validate(text(file), InputFormat.JSON).stream()
                .map(Object::toString)
                .toList();
    }

    private static String text(String file) {
        try {
            return Files.readString(DIR.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every schema in schemas/ under its $id, so the gateway's schemas can $ref the protocol's. */
    private static Map<String, String> loadAll() {
        Map<String, String> byId = new HashMap<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file :
                    files.filter(p -> p.toString().endsWith(".schema.json")).toList()) {
                String text = Files.readString(file);
                JsonNode id = Json.MAPPER.readTree(text).get("$id");
                if (id != null) {
                    byId.put(id.asText(), text);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return byId;
    }
}
