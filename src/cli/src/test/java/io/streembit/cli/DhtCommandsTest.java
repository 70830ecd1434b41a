package io.streembit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.streembit.dht.DhtNode;
import io.streembit.protocol.Hex;
import io.streembit.protocol.Json;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.record.Records;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.streembit.cli.CliRun.cli;
import static org.assertj.core.api.Assertions.assertThat;

/** `dht put` and `dht get` against a network of five real nodes on 127.0.0.1 in this JVM. */
class DhtCommandsTest {
    static final String PASSCODE = "Blue-Kettle-2049";
    static final int NODES = 5;
    static final AtomicInteger SALTS = new AtomicInteger();

    @TempDir
    static Path dir;

    static LocalDht net;
    static Path key;
    static String pub;

    @BeforeAll
    static void network() throws Exception {
        net = LocalDht.of(NODES);
        key = dir.resolve("publisher.key");
        CliRun.Result created = cli().passcode(PASSCODE).run("key", "new", "--out", key.toString());
        assertThat(created.exit()).as(created.toString()).isZero();
        pub = Json.parse(created.outBytes(), "key").get("public_key").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        if (net != null) {
            net.close();
        }
    }

    static String salt() {
        return "test/" + SALTS.incrementAndGet();
    }

    static CliRun.Result put(String seed, String salt, String value, String... extra) {
        List<String> args =
                new ArrayList<>(List.of("dht", "put", "--seed", seed, "--key", key.toString(), "--salt", salt));
        args.addAll(List.of(extra));
        return cli().passcode(PASSCODE).stdin(value).run(args.toArray(String[]::new));
    }

    static CliRun.Result get(String seed, String salt, String... extra) {
        List<String> args = new ArrayList<>(List.of("dht", "get", "--seed", seed, "--pub", pub, "--salt", salt));
        args.addAll(List.of(extra));
        return cli().run(args.toArray(String[]::new));
    }

    static JsonNode json(CliRun.Result result) throws Exception {
        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.out()).endsWith("\n").doesNotContain("\n\n");
        return Json.parse(result.outBytes(), "output");
    }

    /** The record key computed here with the JDK's SHA-1, as protocol.md 5.2 defines it. */
    static String recordKey(String pubHex, String salt) throws Exception {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        sha1.update(Hex.decode(pubHex, 33, "pub"));
        sha1.update((byte) 0);
        sha1.update(salt.getBytes(StandardCharsets.UTF_8));
        return Hex.encode(sha1.digest());
    }

    @Test
    void aSlotPutThroughOneSeedIsFoundThroughAnotherAndAHigherSeqReplacesIt() throws Exception {
        String salt = salt();
        JsonNode put = json(put(net.seed(0), salt, "{\"temp\": 21.5, \"unit\": \"C\"}", "--seq", "1", "--ttl", "600"));
        assertThat(put.get("key").asText()).isEqualTo(recordKey(pub, salt));
        assertThat(put.get("seq").asLong()).isEqualTo(1);
        assertThat(put.get("stored").asInt())
                .as("every node of a %d-node network stores a slot", NODES)
                .isEqualTo(NODES);
        assertThat(put.get("errors").size()).isZero();

        JsonNode got = json(get(net.seed(3), salt));
        assertThat(got.get("key").asText()).isEqualTo(recordKey(pub, salt));
        assertThat(got.get("seq").asLong()).isEqualTo(1);
        assertThat(got.get("pub").asText()).isEqualTo(pub);
        assertThat(got.get("salt").asText()).isEqualTo(salt);
        assertThat(got.get("log").asBoolean()).isFalse();
        assertThat(got.get("exp").asLong() - got.get("iat").asLong()).isEqualTo(600);
        assertThat(Json.text(got.get("val"))).isEqualTo("{\"temp\":21.5,\"unit\":\"C\"}");
        List<String> order = new ArrayList<>();
        got.fieldNames().forEachRemaining(order::add);
        assertThat(order).containsExactly("key", "seq", "pub", "salt", "iat", "exp", "log", "val");

        json(put(net.seed(1), salt, "{\"temp\": 22}", "--seq", "2"));
        assertThat(json(get(net.seed(4), salt)).get("val").get("temp").asInt()).isEqualTo(22);

        CliRun.Result older = put(net.seed(2), salt, "{\"temp\": 0}", "--seq", "1");
        assertThat(older.exit()).isEqualTo(1);
        JsonNode refused = Json.parse(older.outBytes(), "output");
        assertThat(refused.get("stored").asInt()).isZero();
        assertThat(refused.get("errors").get("seq-too-low").asInt()).isEqualTo(NODES);
        assertThat(older.errLines())
                .containsExactly("streembit: seq-too-low: no node stored the record (seq-too-low from " + NODES + ")");
        assertThat(json(get(net.seed(0), salt)).get("seq").asLong()).isEqualTo(2);
    }

    @Test
    void aSlotSeqDefaultsToTheCurrentEpochSecond() throws Exception {
        long before = System.currentTimeMillis() / 1000;
        JsonNode put = json(put(net.seed(1), salt(), "\"on\""));
        long after = System.currentTimeMillis() / 1000;
        assertThat(put.get("seq").asLong()).isBetween(before, after);
    }

    @Test
    void logEntriesTheLatestAndTheEntriesFromASeq() throws Exception {
        String salt = salt();
        for (int seq = 1; seq <= 3; seq++) {
            JsonNode put =
                    json(put(net.seed(seq), salt, "{\"n\": " + seq + "}", "--log", "--seq", String.valueOf(seq)));
            assertThat(put.get("stored").asInt()).isPositive();
        }
        JsonNode latest = json(get(net.seed(4), salt));
        assertThat(latest.get("seq").asLong()).isEqualTo(3);
        assertThat(latest.get("log").asBoolean()).isTrue();
        assertThat(latest.get("val").get("n").asInt()).isEqualTo(3);

        JsonNode fromTwo = json(get(net.seed(0), salt, "--from", "2"));
        assertThat(fromTwo.isArray()).isTrue();
        assertThat(fromTwo.findValuesAsText("seq")).containsExactly("2", "3");
        assertThat(fromTwo.get(1).get("val").get("n").asInt()).isEqualTo(3);

        JsonNode caughtUp = json(get(net.seed(2), salt, "--from", "4"));
        assertThat(caughtUp.isArray()).isTrue();
        assertThat(caughtUp.size()).isZero();

        CliRun.Result fork = put(net.seed(0), salt, "{\"n\": 99}", "--log", "--seq", "2");
        assertThat(fork.exit()).isEqualTo(1);
        assertThat(fork.errLines()).singleElement().asString().startsWith("streembit: fork: no node stored the record");
    }

    @Test
    void aLongLogIsReadPageByPage() throws Exception {
        // 300 entries published straight through a node: more than one FIND_VALUE page holds
        // (256 at most, and fewer fit one 64 KiB frame).
        Identity publisher = Identity.generate(LocalDht.RANDOM);
        String salt = "feed";
        DhtNode writer = net.nodes.get(2);
        long now = System.currentTimeMillis() / 1000;
        for (int seq = 0; seq < 300; seq++) {
            String token = Records.sign(publisher, salt, seq, now, now + 600, true, new IntNode(seq));
            assertThat(LocalDht.await(writer.put(token)).succeeded()).isTrue();
        }
        CliRun.Result all = cli().run(
                        "dht",
                        "get",
                        "--seed",
                        net.seed(0),
                        "--pub",
                        publisher.publicKey().hex(),
                        "--salt",
                        salt,
                        "--from",
                        "0");
        JsonNode entries = json(all);
        assertThat(entries.size()).isEqualTo(300);
        for (int i = 0; i < 300; i++) {
            assertThat(entries.get(i).get("seq").asLong()).isEqualTo(i);
            assertThat(entries.get(i).get("val").asInt()).isEqualTo(i);
        }
    }

    @Test
    void aMissingRecordIsExitOneAndNotFound() throws Exception {
        String absent = Identity.generate(LocalDht.RANDOM).publicKey().hex();
        CliRun.Result result = cli().run("dht", "get", "--seed", net.seed(1), "--pub", absent, "--salt", "td");
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().lines().toList())
                .containsExactly("streembit: not found: no record under key " + recordKey(absent, "td"));

        CliRun.Result log =
                cli().run("dht", "get", "--seed", net.seed(1), "--pub", absent, "--salt", "td", "--from", "0");
        assertThat(log.exit()).isEqualTo(1);
        assertThat(log.err()).startsWith("streembit: not found: ");
    }

    @Test
    void getFromOnASlotSaysItIsASlot() throws Exception {
        String salt = salt();
        json(put(net.seed(0), salt, "1", "--seq", "5"));
        CliRun.Result result = get(net.seed(1), salt, "--from", "0");
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).contains("is a slot value, not a log");
    }

    @Test
    void invalidJsonIsRefusedBeforeThePasscodeAndBeforeAnyNetworkTraffic() {
        CliRun typing = cli().console(PASSCODE).stdin("{\"temp\": 21.5,}");
        CliRun.Result result = typing.run("dht", "put", "--seed", net.seed(0), "--key", key.toString(), "--salt", "x");
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).containsExactly("streembit: malformed: value is not valid JSON");
        assertThat(typing.prompts).isEmpty();

        CliRun.Result duplicate = cli().passcode(PASSCODE)
                .stdin("{\"a\":1,\"a\":2}")
                .run("dht", "put", "--seed", net.seed(0), "--key", key.toString(), "--salt", "x");
        assertThat(duplicate.exit()).isEqualTo(1);
        assertThat(duplicate.errLines()).containsExactly("streembit: malformed: value is not valid JSON");
    }

    @Test
    void commandLineMistakes() {
        CliRun.Result logWithoutSeq = put(net.seed(0), "x", "1", "--log");
        assertThat(logWithoutSeq.exit()).isEqualTo(2);
        assertThat(logWithoutSeq.err().lines().toList())
                .containsExactly(
                        "streembit: --log needs --seq: a log entry's seq is its position (see 'streembit dht put --help')");

        CliRun.Result ttl = put(net.seed(0), "x", "1", "--ttl", "86401");
        assertThat(ttl.exit()).isEqualTo(2);
        assertThat(ttl.err()).contains("--ttl must be from 1 to 86400 seconds");

        CliRun.Result seed = cli().run("dht", "get", "--seed", "localhost", "--pub", pub, "--salt", "x");
        assertThat(seed.exit()).isEqualTo(1);
        assertThat(seed.err()).contains("--seed 'localhost' has no port (expected host:port, or [IPv6]:port)");

        String longSalt = "s".repeat(65);
        CliRun.Result salt = cli().run("dht", "get", "--seed", net.seed(0), "--pub", pub, "--salt", longSalt);
        assertThat(salt.exit()).isEqualTo(1);
        assertThat(salt.err())
                .startsWith("streembit: malformed: salt is 65 UTF-8 bytes")
                .doesNotContain(longSalt);
    }

    @Test
    void aSeedThatDoesNotAnswerIsOneClearLine() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0)) {
            closed = probe.getLocalPort();
        }
        CliRun.Result result = cli().run("dht", "get", "--seed", "127.0.0.1:" + closed, "--pub", pub, "--salt", "x");
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err().lines().toList())
                .singleElement()
                .asString()
                .startsWith("streembit: cannot join the network: no seed answered (127.0.0.1:" + closed + ")");
    }
}
