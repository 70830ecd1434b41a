package io.streembit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.protocol.Base64Url;
import io.streembit.protocol.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static io.streembit.cli.CliRun.cli;
import static org.assertj.core.api.Assertions.assertThat;

/** `jws` and `jwe` commands, run in-process against real key files. */
class JoseCommandsTest {
    static final String PASSCODE = "Blue-Kettle-2049";

    @TempDir
    Path dir;

    Path alice;
    Path bob;
    String alicePub;
    String aliceAccount;
    String bobPub;

    @BeforeEach
    void keys() throws Exception {
        alice = dir.resolve("alice.key");
        bob = dir.resolve("bob.key");
        JsonNode a = Json.parse(
                cli().passcode(PASSCODE)
                        .run("key", "new", "--out", alice.toString())
                        .outBytes(),
                "alice");
        JsonNode b = Json.parse(
                cli().passcode(PASSCODE)
                        .run("key", "new", "--out", bob.toString())
                        .outBytes(),
                "bob");
        alicePub = a.get("public_key").asText();
        aliceAccount = a.get("account").asText();
        bobPub = b.get("public_key").asText();
    }

    @Test
    void signThenVerifyPrintsThePayload() {
        String payload = "{\"temp\": 21.50, \"unit\": \"C\"}";
        CliRun.Result signed = cli().passcode(PASSCODE)
                .stdin(payload + "\n")
                .run("jws", "sign", "--key", alice.toString(), "--typ", "reading");
        assertThat(signed.exit()).as(signed.toString()).isZero();
        String token = signed.out().strip();
        assertThat(token.split("\\.")).hasSize(3);

        CliRun.Result verified = cli().stdin(token + "\n").run("jws", "verify", "--pub", alicePub, "--typ", "reading");
        assertThat(verified.exit()).as(verified.toString()).isZero();
        assertThat(verified.out()).isEqualTo(payload + "\n");
        assertThat(verified.err()).isEmpty();

        CliRun.Result selfSigned = cli().stdin(token).run("jws", "verify");
        assertThat(selfSigned.exit()).isZero();
        assertThat(selfSigned.out()).isEqualTo(payload + "\n");
        assertThat(selfSigned.err()).contains(aliceAccount).contains("--pub");
    }

    @Test
    void aTamperedTokenExitsOneWithTheReasonOnOneLine() {
        String token = cli().passcode(PASSCODE)
                .stdin("{\"amount\":10}")
                .run("jws", "sign", "--key", alice.toString())
                .out()
                .strip();
        String[] parts = token.split("\\.");
        String forgedPayload = Base64Url.encode("{\"amount\":99}".getBytes(StandardCharsets.UTF_8));
        String tampered = parts[0] + "." + forgedPayload + "." + parts[2];

        CliRun.Result result = cli().stdin(tampered).run("jws", "verify", "--pub", alicePub);
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().lines().toList())
                .containsExactly("streembit: bad-signature: signature does not verify");
    }

    @Test
    void verifyRefusesTheWrongSignerAndTheWrongType() {
        String token = cli().passcode(PASSCODE)
                .stdin("{}")
                .run("jws", "sign", "--key", alice.toString())
                .out();
        CliRun.Result wrongKey = cli().stdin(token).run("jws", "verify", "--pub", bobPub);
        assertThat(wrongKey.exit()).isEqualTo(1);
        assertThat(wrongKey.err().lines().toList()).singleElement().asString().startsWith("streembit: kid-mismatch: ");
        CliRun.Result wrongTyp = cli().stdin(token).run("jws", "verify", "--pub", alicePub, "--typ", "command");
        assertThat(wrongTyp.err().lines().toList())
                .containsExactly("streembit: typ-mismatch: expected typ command, got JWT");
    }

    @Test
    void theIndependentVectorTokensVerify() {
        for (JsonNode v : Vectors.jose().get("jws_valid")) {
            CliRun.Result result = cli().stdin(v.get("token").asText())
                    .run(
                            "jws",
                            "verify",
                            "--pub",
                            v.get("public_compressed_hex").asText(),
                            "--typ",
                            "JWT");
            assertThat(result.exit()).as(result.toString()).isZero();
            assertThat(result.out()).isEqualTo(v.get("payload").asText() + "\n");
        }
        for (JsonNode v : Vectors.jose().get("jws_high_s")) {
            CliRun.Result result = cli().stdin(v.get("token").asText())
                    .run(
                            "jws",
                            "verify",
                            "--pub",
                            v.get("public_compressed_hex").asText());
            assertThat(result.exit()).isEqualTo(1);
            assertThat(result.err()).startsWith("streembit: high-s: ");
        }
    }

    @Test
    void signRefusesAPayloadThatIsNotJsonBeforeAskingForAPasscode() {
        CliRun run = cli().console("never used").stdin("{\"a\":1,\"a\":2}");
        CliRun.Result result = run.run("jws", "sign", "--key", alice.toString());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err().lines().toList()).containsExactly("streembit: malformed: payload is not valid JSON");
        assertThat(run.prompts).isEmpty();
    }

    @Test
    void signWithoutPasscodeEnvOrConsoleFailsClearly() {
        CliRun.Result result = cli().stdin("{}").run("jws", "sign", "--key", alice.toString());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err().lines().toList())
                .singleElement()
                .asString()
                .startsWith("streembit: no passcode: set STREEMBIT_PASSCODE or run in a terminal")
                .contains("standard input carries the data");
    }

    @Test
    void signAsksTheConsoleWhenThereIsOne() {
        CliRun run = cli().console(PASSCODE).stdin("{}");
        CliRun.Result result = run.run("jws", "sign", "--key", alice.toString());
        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(run.prompts).containsExactly("Passcode for " + alice + ": ");
    }

    @Test
    void encryptThenDecryptGivesTheBytesBack() {
        byte[] plaintext = "gate 7 opens at 06:00\n\u00e9\u0000\u00ff".getBytes(StandardCharsets.UTF_8);
        CliRun.Result encrypted = cli().stdin(plaintext).run("jwe", "encrypt", "--to", bobPub);
        assertThat(encrypted.exit()).as(encrypted.toString()).isZero();
        String token = encrypted.out().strip();
        assertThat(token.split("\\.", -1)).hasSize(5);

        CliRun.Result decrypted = cli().passcode(PASSCODE).stdin(token).run("jwe", "decrypt", "--key", bob.toString());
        assertThat(decrypted.exit()).as(decrypted.toString()).isZero();
        assertThat(decrypted.outBytes()).isEqualTo(plaintext);

        CliRun.Result wrongKey = cli().passcode(PASSCODE).stdin(token).run("jwe", "decrypt", "--key", alice.toString());
        assertThat(wrongKey.exit()).isEqualTo(1);
        assertThat(wrongKey.err().lines().toList())
                .singleElement()
                .asString()
                .startsWith("streembit: decrypt-failed: ");
    }

    @Test
    void encryptWithAKeyNamesItsAccountAsIssWithoutAPasscode() throws Exception {
        CliRun.Result encrypted = cli().stdin("hello").run("jwe", "encrypt", "--to", bobPub, "--key", alice.toString());
        assertThat(encrypted.exit()).as(encrypted.toString()).isZero();
        String header = encrypted.out().strip().split("\\.")[0];
        JsonNode json = Json.parse(Base64Url.decode(header, "header"), "header");
        assertThat(json.get("iss").asText()).isEqualTo(aliceAccount);
        CliRun.Result decrypted =
                cli().passcode(PASSCODE).stdin(encrypted.out()).run("jwe", "decrypt", "--key", bob.toString());
        assertThat(decrypted.out()).isEqualTo("hello");
    }

    @Test
    void theIndependentVectorJwesDecrypt() throws Exception {
        JsonNode keys = Vectors.jose().get("keys");
        for (int i = 0; i < keys.size(); i++) {
            java.nio.file.Files.writeString(
                    dir.resolve("v" + i + ".pem"),
                    keys.get(i).get("private_pem_pkcs8").asText());
            assertThat(cli().passcode(PASSCODE)
                            .run(
                                    "key",
                                    "import",
                                    "--pem",
                                    dir.resolve("v" + i + ".pem").toString(),
                                    "--out",
                                    dir.resolve("v" + i + ".key").toString())
                            .exit())
                    .isZero();
        }
        for (JsonNode v : Vectors.jose().get("jwe")) {
            int index = keys.get(0)
                            .get("public_compressed_hex")
                            .asText()
                            .equals(v.get("recipient_public_compressed_hex").asText())
                    ? 0
                    : 1;
            CliRun.Result decrypted = cli().passcode(PASSCODE)
                    .stdin(v.get("token").asText())
                    .run(
                            "jwe",
                            "decrypt",
                            "--key",
                            dir.resolve("v" + index + ".key").toString());
            assertThat(decrypted.exit()).as(decrypted.toString()).isZero();
            assertThat(decrypted.out()).isEqualTo(v.get("plaintext").asText());
        }
    }

    @Test
    void aBadRecipientKeyIsRefused() {
        CliRun.Result result = cli().stdin("x").run("jwe", "encrypt", "--to", "02abc");
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err().lines().toList()).singleElement().asString().startsWith("streembit: bad-key: ");
    }
}
