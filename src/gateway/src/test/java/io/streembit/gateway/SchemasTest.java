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
import io.streembit.gateway.ingest.BatchOpener;
import io.streembit.gateway.ingest.ServedDevice;
import io.streembit.gateway.ingest.TestBatches;
import io.streembit.gateway.ingest.VerifiedBatch;
import io.streembit.gateway.store.DeadLetterStore;
import io.streembit.gateway.store.ProblemStore;
import io.streembit.gateway.store.ReadingsWriter;
import io.streembit.gateway.testing.EmbeddedPostgres;
import io.streembit.protocol.Json;
import io.streembit.protocol.feed.FeedChain;
import io.streembit.protocol.feed.FeedEntries;
import io.streembit.protocol.feed.Reading;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.offer.ContactOffers;
import io.streembit.protocol.offer.UserType;
import io.streembit.protocol.td.ThingDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.io.InputStream;
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
 * Telemetry is built from a sealed feed record opened by the real {@link BatchOpener}; table
 * rows are written by the real stores into a real PostgreSQL and read back with row_to_json.
 */
class SchemasTest {
    private static final Path DIR = Path.of(System.getProperty("repo.root", "../.."), "schemas");
    private static final String META = "https://json-schema.org/draft/2020-12/schema";
    private static final List<String> GATEWAY_SCHEMAS = List.of("telemetry-batch.schema.json",
            "telemetry-headers.schema.json", "reading-row.schema.json", "ingest-problem-row.schema.json",
            "dead-letter-row.schema.json", "device-row.schema.json", "device-view.schema.json",
            "api-error.schema.json");

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Identity DEVICE = Identity.generate(RANDOM);
    private static final Identity GATEWAY = Identity.generate(RANDOM);
    private static final ThingDescription TD = Things.forDevice("thermostat", DEVICE.account());
    private static final Instant NOW = Instant.parse("2025-11-24T16:00:00.412345Z");
    private static final List<Reading> READINGS = List.of(
            new Reading("temperature", 1_764_000_000_000L, DoubleNode.valueOf(21.5)),
            new Reading("humidity", 1_764_000_000_250L, DoubleNode.valueOf(40)),
            new Reading("$command-result", 1_764_000_000_300L, commandResult()));

    private static final Map<String, String> BY_ID = loadAll();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12, builder -> builder.schemas(BY_ID).schemaRegistryConfig(
                    SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    /** Serializes API records as Quarkus REST does: java.time as ISO strings, nulls kept. */
    private static final ObjectMapper API_JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private static EmbeddedPostgres postgres;
    private static PGSimpleDataSource dataSource;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.startNew();
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(postgres.jdbcUrl());
        dataSource.setUser(postgres.user());
        dataSource.setPassword(postgres.password());
        try (InputStream in = SchemasTest.class.getResourceAsStream("/db/migration/V1__gateway.sql");
             Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            assertThat(in).as("the gateway's migration on the classpath").isNotNull();
            st.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
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
        assertThat(errors("telemetry-batch.schema.json", TelemetryMessage.body(empty))).isEmpty();

        assertRefused("telemetry-batch.schema.json", json, j -> j.remove("seq"));
        assertRefused("telemetry-batch.schema.json", json, j -> j.remove("readings"));
        assertRefused("telemetry-batch.schema.json", json, j -> j.put("extra", 1));
        assertRefused("telemetry-batch.schema.json", json, j -> j.put("device", DEVICE.account().toUpperCase()));
        assertRefused("telemetry-batch.schema.json", json, j -> j.put("device", DEVICE.account().substring(1)));
        assertRefused("telemetry-batch.schema.json", json, j -> j.put("publicKey", "04" + DEVICE.publicKey().hex().substring(2)));
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

        assertThat(errors("telemetry-headers.schema.json", Json.text(json.deepCopy().put("X-Route", "archive"))))
                .as("a route may add string headers").isEmpty();
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
        DeviceView active = new DeviceView(DEVICE.account(), DEVICE.publicKey().hex(), "boiler room",
                Map.of("site", "lab"), "active", TD.id(), "offer", registered, null, 12, 15, 3, NOW, 1,
                "decrypt-failed: the JWE is not for this gateway", NOW, null, null, TD.json());
        ObjectNode json = API_JSON.valueToTree(active);
        assertThat(errors("device-view.schema.json", Json.text(json))).isEmpty();

        DeviceView listed = new DeviceView(DEVICE.account(), DEVICE.publicKey().hex(), null, Map.of(), "revoked",
                TD.id(), "dht", registered, NOW, 0, 0, 0, null, 0, null, null,
                "StoreUnavailable: PostgreSQL: connection refused", NOW, null);
        assertThat(errors("device-view.schema.json", API_JSON.writeValueAsString(listed))).isEmpty();

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
        insertDevice();
        ObjectNode fresh = row("devices", "id = '" + DEVICE.account() + "'").get(0);
        assertThat(errors("device-row.schema.json", Json.text(fresh))).isEmpty();
        assertThat(fresh.get("td").isObject()).isTrue();
        assertRefused("device-row.schema.json", fresh, j -> j.put("cursor_hash", FeedChain.GENESIS_PREV));
        assertRefused("device-row.schema.json", fresh, j -> j.remove("version"));
        assertRefused("device-row.schema.json", fresh, j -> j.put("id", DEVICE.account().toUpperCase()));

        // entry 1 through the readings sink: readings and cursor in one transaction
        ServedDevice served = new ServedDevice(DEVICE.account(), DEVICE.publicKey(), TD, 0, null);
        BatchOpener.Opened first = TestBatches.open(served, DEVICE, GATEWAY, FeedChain.genesis(), READINGS, NOW);
        List<ReadingsWriter.Commit> commits = new ArrayList<>();
        ReadingsWriter writer = new ReadingsWriter(dataSource, 16, commits::add, io.streembit.gateway.store.CommitStep.NONE);
        try {
            writer.write(first.batch()).get(30, TimeUnit.SECONDS);
        } finally {
            writer.close();
        }
        assertThat(commits).hasSize(1);
        List<ObjectNode> readings = row("readings", "device_id = '" + DEVICE.account() + "' ORDER BY idx");
        assertThat(readings).hasSize(3);
        for (ObjectNode reading : readings) {
            assertThat(errors("reading-row.schema.json", Json.text(reading))).as(reading.toString()).isEmpty();
        }
        assertRefused("reading-row.schema.json", readings.get(0), j -> j.remove("received_at"));
        assertRefused("reading-row.schema.json", readings.get(0), j -> j.put("idx", -1));
        assertRefused("reading-row.schema.json", readings.get(0), j -> j.put("ts", 1_764_000_000_000L));
        assertRefused("reading-row.schema.json", readings.get(0), j -> j.put("device_id", "boiler"));
        assertRefused("reading-row.schema.json", readings.get(0), j -> j.put("batch", 1));

        // entry 2 sealed for another gateway: quarantined with its token, the cursor steps over it
        FeedEntries entries = FeedEntries.standard();
        long iat = NOW.getEpochSecond();
        String token = entries.seal(DEVICE, Identity.generate(RANDOM).publicKey(),
                first.next().nextEntry(READINGS), iat, iat + 3600);
        ProblemStore problems = new ProblemStore(dataSource);
        problems.quarantine(DEVICE.account(), 2, "decrypt-failed", "the JWE is not for this gateway", token,
                FeedChain.hashOf(token), NOW);
        problems.record(DEVICE.account(), 3L, "gap", "entries 3..4 are missing while later ones are stored;"
                + " waiting for the device to re-send them", "waiting", NOW);
        List<ObjectNode> problemRows = row("ingest_problems", "device_id = '" + DEVICE.account() + "' ORDER BY id");
        assertThat(problemRows).hasSize(2);
        for (ObjectNode problem : problemRows) {
            assertThat(errors("ingest-problem-row.schema.json", Json.text(problem))).as(problem.toString()).isEmpty();
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
        long id = deadLetters.add("portal", DEVICE.account(), 1L, TelemetryMessage.body(first.batch()), headers,
                "HttpOperationFailedException: HTTP operation failed invoking http://127.0.0.1:9/ingest with"
                        + " statusCode: 503", 6, NOW);
        ObjectNode open = row("dead_letters", "id = " + id).get(0);
        assertThat(errors("dead-letter-row.schema.json", Json.text(open))).isEmpty();
        assertThat(errors("telemetry-headers.schema.json", Json.text(open.get("headers")))).isEmpty();
        assertThat(errors("telemetry-batch.schema.json", open.get("body").asText())).isEmpty();
        assertRefused("dead-letter-row.schema.json", open, j -> j.put("attempts", 0));
        assertRefused("dead-letter-row.schema.json", open, j -> ((ObjectNode) j.get("headers")).put("Streembit-Seq", 1));
        assertRefused("dead-letter-row.schema.json", open, j -> j.remove("redriven_at"));
        deadLetters.redriven(id, NOW.plusSeconds(60));
        assertThat(errors("dead-letter-row.schema.json", Json.text(row("dead_letters", "id = " + id).get(0))))
                .isEmpty();

        // revoked: revoked_at is set
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE devices SET status = 'revoked', revoked_at = now() WHERE id = '"
                    + DEVICE.account() + "'");
        }
        ObjectNode revoked = row("devices", "id = '" + DEVICE.account() + "'").get(0);
        assertThat(errors("device-row.schema.json", Json.text(revoked))).isEmpty();
        assertRefused("device-row.schema.json", revoked, j -> j.putNull("revoked_at"));
        assertRefused("device-row.schema.json", revoked, j -> j.put("status", "suspended"));
    }

    private static void insertDevice() throws Exception {
        String offer = ContactOffers.parse(ContactOffers.create(DEVICE, UserType.DEVICE, "127.0.0.1", 4000, "tcp", TD))
                .token();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO devices (id, public_key, name, labels, td, td_id, td_source, offer, status, registered_at)
                VALUES (?, ?, ?, ?::jsonb, ?::jsonb, ?, 'offer', ?, 'active', ?)""")) {
            ps.setString(1, DEVICE.account());
            ps.setString(2, DEVICE.publicKey().hex());
            ps.setString(3, "boiler room");
            ps.setString(4, "{\"site\": \"lab\"}");
            ps.setString(5, Json.text(TD.json()));
            ps.setString(6, TD.id());
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
            try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
                st.execute("SET TimeZone = '" + zone + "'");
                try (ResultSet rs = st.executeQuery("SELECT row_to_json(t)::text FROM " + table + " t WHERE " + where)) {
                    while (rs.next()) {
                        rows.add((ObjectNode) Json.MAPPER.readTree(rs.getString(1)));
                    }
                }
            }
        }
        int half = rows.size() / 2;
        for (int i = 0; i < half; i++) {
            assertThat(errors(schemaOf(table), Json.text(rows.get(half + i)))).as("rendered in Asia/Kolkata").isEmpty();
        }
        return rows.subList(0, half);
    }

    private static String schemaOf(String table) {
        return switch (table) {
            case "devices" -> "device-row.schema.json";
            case "readings" -> "reading-row.schema.json";
            case "ingest_problems" -> "ingest-problem-row.schema.json";
            case "dead_letters" -> "dead-letter-row.schema.json";
            default -> throw new IllegalArgumentException(table);
        };
    }

    private static ObjectNode reading(ObjectNode batch, int index) {
        return (ObjectNode) batch.get("readings").get(index);
    }

    private static void assertRefused(String file, ObjectNode valid, Consumer<ObjectNode> breakIt) {
        ObjectNode broken = valid.deepCopy();
        breakIt.accept(broken);
        assertThat(errors(file, Json.text(broken))).as(file + " refuses " + broken).isNotEmpty();
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
        return schema.validate(json, InputFormat.JSON).stream().map(Object::toString).toList();
    }

    private static List<String> metaErrors(String file) {
        Schema meta = REGISTRY.getSchema(SchemaLocation.of(META));
        return meta.validate(text(file), InputFormat.JSON).stream().map(Object::toString).toList();
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
            for (Path file : files.filter(p -> p.toString().endsWith(".schema.json")).toList()) {
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
