package io.streembit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streembit.protocol.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static io.streembit.cli.CliRun.cli;
import static org.assertj.core.api.Assertions.assertThat;

class OfferCommandsTest {
    static final String PASSCODE = "Blue-Kettle-2049";
    static final String TD = """
            {"@context": "https://www.w3.org/2022/wot/td/v1.1", "id": "urn:example:streembit:lamp-01", "title": "Lamp",
             "properties": {"on": {"type": "boolean", "readOnly": true}}, "actions": {"toggle": {}}}
            """;

    @TempDir
    Path dir;

    Path key;
    JsonNode keySummary;

    @BeforeEach
    void newKey() throws Exception {
        key = dir.resolve("lamp.key");
        CliRun.Result created = cli().passcode(PASSCODE).run("key", "new", "--out", key.toString());
        assertThat(created.exit()).as(created.toString()).isZero();
        keySummary = Json.parse(created.outBytes(), "key new output");
    }

    @Test
    void createThenInspectRoundTripsEveryMemberAndTheTd() throws Exception {
        Path td = dir.resolve("lamp.td.json");
        Files.writeString(td, TD);
        CliRun.Result created = cli().passcode(PASSCODE)
                .run(
                        "offer",
                        "create",
                        "--key",
                        key.toString(),
                        "--type",
                        "device",
                        "--host",
                        "192.0.2.10",
                        "--port",
                        "32320",
                        "--td",
                        td.toString());
        assertThat(created.exit()).as(created.toString()).isZero();
        String armored = created.out();
        assertThat(armored)
                .startsWith("--- BEGIN STREEMBIT CONTACT OFFER ---\n")
                .endsWith("--- END STREEMBIT CONTACT OFFER ---\n");
        // The armor is standard base64 of a JWS compact token: decoded by the JDK, not by our code.
        String body = armored.lines().filter(l -> !l.startsWith("---")).reduce("", String::concat);
        String token = new String(Base64.getDecoder().decode(body), StandardCharsets.US_ASCII);
        assertThat(token.split("\\.")).hasSize(3);

        CliRun.Result inspected = cli().stdin(armored).run("offer", "inspect");
        assertThat(inspected.exit()).as(inspected.toString()).isZero();
        JsonNode offer = Json.parse(inspected.outBytes(), "inspect output");
        assertThat(offer.get("account").asText())
                .isEqualTo(keySummary.get("account").asText());
        assertThat(offer.get("public_key").asText())
                .isEqualTo(keySummary.get("public_key").asText());
        assertThat(offer.get("user_type").asText()).isEqualTo("device");
        assertThat(offer.get("host").asText()).isEqualTo("192.0.2.10");
        assertThat(offer.get("port").asInt()).isEqualTo(32320);
        assertThat(offer.get("transport").asText()).isEqualTo("tcp");
        assertThat(offer.get("td")).isEqualTo(new ObjectMapper().readTree(TD));
        // The payload printed is the one signed: the token's middle part, decoded by the JDK.
        JsonNode signed = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertThat(offer).isEqualTo(signed);
    }

    @Test
    void inspectReadsAFileWithMailAroundTheBlockAndAGatewayWithoutTd() throws Exception {
        CliRun.Result created = cli().passcode(PASSCODE)
                .run(
                        "offer",
                        "create",
                        "--key",
                        key.toString(),
                        "--type",
                        "gateway",
                        "--host",
                        "gw.example.org",
                        "--port",
                        "4000");
        assertThat(created.exit()).as(created.toString()).isZero();
        Path mail = dir.resolve("mail.txt");
        Files.writeString(
                mail, "Hi, here is our gateway:\r\n\r\n" + created.out().replace("\n", "\r\n") + "\r\nRegards\r\n");

        CliRun.Result inspected = cli().run("offer", "inspect", mail.toString());
        assertThat(inspected.exit()).as(inspected.toString()).isZero();
        JsonNode offer = Json.parse(inspected.outBytes(), "inspect output");
        assertThat(offer.get("user_type").asText()).isEqualTo("gateway");
        assertThat(offer.get("host").asText()).isEqualTo("gw.example.org");
        assertThat(offer.has("td")).isFalse();
    }

    @Test
    void aModifiedOfferIsRefusedWithItsErrorCode() {
        CliRun.Result created = cli().passcode(PASSCODE)
                .run(
                        "offer",
                        "create",
                        "--key",
                        key.toString(),
                        "--type",
                        "human",
                        "--host",
                        "203.0.113.5",
                        "--port",
                        "8080");
        assertThat(created.exit()).as(created.toString()).isZero();
        // Swap the port inside the signed payload, re-encode both layers: only the signature can tell.
        String body = created.out().lines().filter(l -> !l.startsWith("---")).reduce("", String::concat);
        String[] parts = new String(Base64.getDecoder().decode(body), StandardCharsets.US_ASCII).split("\\.");
        String payload =
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("8080", "8081");
        String forged = parts[0] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "."
                + parts[2];

        CliRun.Result inspected = cli().stdin(forged).run("offer", "inspect");
        assertThat(inspected.exit()).isEqualTo(1);
        assertThat(inspected.out()).isEmpty();
        assertThat(inspected.err().lines().toList())
                .containsExactly("streembit: bad-signature: signature does not verify");
    }

    @Test
    void badArgumentsAreRefusedBeforeThePasscodeIsAsked() throws Exception {
        CliRun typo = cli().console(PASSCODE);
        CliRun.Result wrongType = typo.run(
                "offer", "create", "--key", key.toString(), "--type", "robot", "--host", "192.0.2.10", "--port", "1");
        assertThat(wrongType.exit()).isEqualTo(1);
        assertThat(wrongType.err().lines().toList())
                .containsExactly("streembit: --type must be device, human or gateway");

        CliRun.Result badHost = typo.run(
                "offer", "create", "--key", key.toString(), "--type", "device", "--host", "a host", "--port", "1");
        assertThat(badHost.exit()).isEqualTo(1);
        assertThat(badHost.err()).contains("host must be");

        Path td = dir.resolve("bad.td.json");
        Files.writeString(td, "{\"title\": \"no context\"}");
        CliRun.Result badTd = typo.run(
                "offer",
                "create",
                "--key",
                key.toString(),
                "--type",
                "device",
                "--host",
                "192.0.2.10",
                "--port",
                "1",
                "--td",
                td.toString());
        assertThat(badTd.exit()).isEqualTo(1);
        assertThat(badTd.err()).startsWith("streembit: malformed: ");
        assertThat(typo.prompts).isEmpty();
    }
}
