package io.streembit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.protocol.Json;
import io.streembit.protocol.identity.PublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static io.streembit.cli.CliRun.cli;
import static org.assertj.core.api.Assertions.assertThat;

class KeyCommandsTest {
    static final String PASSCODE = "Blue-Kettle-2049";
    static final String NEW_PASSCODE = "Green-Teapot-1977";

    @TempDir
    Path dir;

    @Test
    void newShowChangePasscodeThenTheOldPasscodeIsRefused() throws Exception {
        Path key = dir.resolve("node.key");
        CliRun.Result created = cli().passcode(PASSCODE).run("key", "new", "--out", key.toString());
        assertThat(created.exit()).as(created.toString()).isZero();
        JsonNode summary = Json.parse(created.outBytes(), "output");
        assertThat(summary.size()).isEqualTo(2);
        PublicKey pub = PublicKey.fromHex(summary.get("public_key").asText());
        assertThat(summary.get("account").asText()).isEqualTo(pub.nodeId().hex());
        if (Files.getFileStore(key).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                    .isEqualTo("rw-------");
        }

        CliRun.Result shown = cli().run("key", "show", key.toString());
        assertThat(shown.exit()).as(shown.toString()).isZero();
        JsonNode show = Json.parse(shown.outBytes(), "output");
        assertThat(show.get("account").asText())
                .isEqualTo(summary.get("account").asText());
        assertThat(show.get("public_key").asText()).isEqualTo(pub.hex());
        assertThat(show.get("kdf").get("alg").asText()).isEqualTo("argon2id");
        assertThat(show.get("kdf").get("m").asInt()).isEqualTo(KeyFiles.INSECURE_TEST_PARAMS.memoryKib());

        CliRun.Result changed = cli().passcode(PASSCODE)
                .env(Passcodes.NEW_PASSCODE_ENV, NEW_PASSCODE)
                .run("key", "passcode", key.toString());
        assertThat(changed.exit()).as(changed.toString()).isZero();
        assertThat(Json.parse(changed.outBytes(), "output")).isEqualTo(summary);

        CliRun.Result oldRefused = cli().passcode(PASSCODE).stdin("{}").run("jws", "sign", "--key", key.toString());
        assertThat(oldRefused.exit()).isEqualTo(1);
        assertThat(oldRefused.errLines()).singleElement().asString().startsWith("streembit: wrong-passcode: ");

        CliRun.Result newWorks = cli().passcode(NEW_PASSCODE).stdin("{}").run("jws", "sign", "--key", key.toString());
        assertThat(newWorks.exit()).as(newWorks.toString()).isZero();
        CliRun.Result verified = cli().stdin(newWorks.out()).run("jws", "verify", "--pub", pub.hex());
        assertThat(verified.exit()).as(verified.toString()).isZero();
    }

    @Test
    void aWeakPasscodeIsRefusedWithAClearMessageAndNoFile() {
        Path key = dir.resolve("weak.key");
        CliRun.Result result = cli().passcode("password1").run("key", "new", "--out", key.toString());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.errLines())
                .singleElement()
                .asString()
                .startsWith("streembit: weak-passcode: the passcode is too weak")
                .contains("fewer than 10 characters")
                .contains("no uppercase letters")
                .doesNotContain("password1");
        assertThat(result.out()).isEmpty();
        assertThat(key).doesNotExist();
    }

    @Test
    void newRefusesToOverwriteAnExistingFile() throws Exception {
        Path key = dir.resolve("taken.key");
        Files.writeString(key, "precious");
        CliRun.Result result = cli().passcode(PASSCODE).run("key", "new", "--out", key.toString());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.errLines()).singleElement().asString().contains("already exists");
        assertThat(Files.readString(key)).isEqualTo("precious");
    }

    @Test
    void importOfTheVectorPemsGivesTheVectorAccounts() throws Exception {
        JsonNode keys = Vectors.jose().get("keys");
        assertThat(keys.size()).isGreaterThan(0);
        int i = 0;
        for (JsonNode vector : keys) {
            Path pem = dir.resolve("device" + i + ".pem");
            Path key = dir.resolve("device" + i + ".key");
            i++;
            Files.writeString(pem, vector.get("private_pem_pkcs8").asText());
            CliRun.Result imported =
                    cli().passcode(PASSCODE).run("key", "import", "--pem", pem.toString(), "--out", key.toString());
            assertThat(imported.exit()).as(imported.toString()).isZero();
            PublicKey expected =
                    PublicKey.fromHex(vector.get("public_compressed_hex").asText());
            JsonNode summary = Json.parse(imported.outBytes(), "output");
            assertThat(summary.get("account").asText())
                    .isEqualTo(expected.nodeId().hex());
            assertThat(summary.get("public_key").asText()).isEqualTo(expected.hex());

            // The imported key signs as the vector key.
            CliRun.Result token =
                    cli().passcode(PASSCODE).stdin("{\"n\":1}").run("jws", "sign", "--key", key.toString());
            CliRun.Result verified = cli().stdin(token.out()).run("jws", "verify", "--pub", expected.hex());
            assertThat(verified.exit()).as(verified.toString()).isZero();
        }
    }

    @Test
    void importRefusesAnEncryptedPemSayingSo() throws Exception {
        Path pem = dir.resolve("enc.pem");
        Files.writeString(pem, """
                -----BEGIN ENCRYPTED PRIVATE KEY-----
                MIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAjTi/2IGw3CzQICCAAw
                DAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEO3h9jxiFg118tHBuODA1RwEgZAo
                GfrofO4xCcefUnP+JZoYQvl21hhdMqGUFqq2mg8+OQL31stt30L7yUEYOIpmAKAI
                JLjy1Z4CK0/Mqjq3G8DF2WUo0UxcUGAaUqsJt9OCwHSmO3xljvRIyvIGuoQwIJFI
                EFVguqikMNdOQ9F11+3YbT9EfeJWIk5+FFVT6aK4K1fPuGp3V+7eT1HKUEThi0U=
                -----END ENCRYPTED PRIVATE KEY-----
                """);
        CliRun.Result result = cli().passcode(PASSCODE)
                .run(
                        "key",
                        "import",
                        "--pem",
                        pem.toString(),
                        "--out",
                        dir.resolve("x.key").toString());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.errLines())
                .singleElement()
                .asString()
                .startsWith("streembit: bad-key-file: ")
                .contains("encrypted");
    }

    @Test
    void showNeedsNoPasscodeAndReportsADamagedFile() throws Exception {
        Path key = dir.resolve("node.key");
        assertThat(cli().passcode(PASSCODE)
                        .run("key", "new", "--out", key.toString())
                        .exit())
                .isZero();
        String text = Files.readString(key).replace("\"version\":1", "\"version\":7");
        Files.writeString(key, text);
        CliRun.Result result = cli().run("key", "show", key.toString());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.errLines())
                .containsExactly(
                        "streembit: bad-key-file: unsupported key file version 7 (this build reads version 1)");
    }

    @Test
    void aMissingFileIsOneClearLine() {
        CliRun.Result result = cli().run("key", "show", dir.resolve("nope.key").toString());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.errLines()).containsExactly("streembit: " + dir.resolve("nope.key") + ": no such file");
    }

    @Test
    void passcodeChangeFromAConsoleAsksOldThenNewTwice() throws Exception {
        Path key = dir.resolve("node.key");
        CliRun creator = cli().console(PASSCODE, PASSCODE);
        assertThat(creator.run("key", "new", "--out", key.toString()).exit()).isZero();
        assertThat(creator.prompts).containsExactly("New passcode: ", "Repeat the new passcode: ");

        CliRun changer = cli().console(PASSCODE, NEW_PASSCODE, NEW_PASSCODE);
        CliRun.Result changed = changer.run("key", "passcode", key.toString());
        assertThat(changed.exit()).as(changed.toString()).isZero();
        assertThat(changer.prompts)
                .containsExactly("Passcode for " + key + ": ", "New passcode: ", "Repeat the new passcode: ");

        assertThat(cli().console(NEW_PASSCODE)
                        .stdin("{}")
                        .run("jws", "sign", "--key", key.toString())
                        .exit())
                .isZero();
        String before = Files.readString(key, StandardCharsets.UTF_8);
        CliRun.Result mismatch = cli().console(NEW_PASSCODE, "Other-Passcode-1", "Other-Passcode-2")
                .run("key", "passcode", key.toString());
        assertThat(mismatch.exit()).isEqualTo(1);
        assertThat(mismatch.errLines()).containsExactly("streembit: the two passcodes do not match");
        assertThat(Files.readString(key, StandardCharsets.UTF_8)).isEqualTo(before);
    }

    @Test
    void withoutEnvOrConsoleThePasscodesAreLinesOfStdinWhenStdinIsFree() throws Exception {
        Path key = dir.resolve("node.key");
        assertThat(cli().stdin(PASSCODE + "\n")
                        .run("key", "new", "--out", key.toString())
                        .exit())
                .isZero();
        CliRun.Result changed =
                cli().stdin(PASSCODE + "\n" + NEW_PASSCODE + "\n").run("key", "passcode", key.toString());
        assertThat(changed.exit()).as(changed.toString()).isZero();
        assertThat(cli().passcode(NEW_PASSCODE)
                        .stdin("[1,2]")
                        .run("jws", "sign", "--key", key.toString())
                        .exit())
                .isZero();
    }

    @Test
    void withNoPasscodeAnywhereNewFailsClearly() {
        CliRun.Result result =
                cli().run("key", "new", "--out", dir.resolve("k.key").toString());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.errLines())
                .singleElement()
                .asString()
                .startsWith("streembit: no passcode: set STREEMBIT_PASSCODE");
    }
}
