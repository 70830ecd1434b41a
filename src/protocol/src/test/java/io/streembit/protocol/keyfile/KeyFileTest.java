package io.streembit.protocol.keyfile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.Base64Url;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.Identity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyFileTest {
    /** Far below real cost, so the tests stay fast; production uses KdfParams.DEFAULT. */
    static final KdfParams LIGHT = new KdfParams(64, 1, 1);

    static final char[] PASSCODE = "Blue-Kettle-2049".toCharArray();

    private final SecureRandom random = new SecureRandom();

    @TempDir
    Path dir;

    @Test
    void writtenFileReadsBackAndOpensToTheSameKey() throws Exception {
        Identity identity = Identity.generate(random);
        Path path = dir.resolve("node.key");
        KeyFile.create(identity, PASSCODE, LIGHT, random).write(path);

        KeyFile read = KeyFile.read(path);
        assertThat(read.account()).isEqualTo(identity.account());
        assertThat(read.publicKey()).isEqualTo(identity.publicKey());
        assertThat(read.kdf()).isEqualTo(LIGHT);
        Identity opened = read.open(PASSCODE);
        assertThat(opened.privateKey()).isEqualTo(identity.privateKey());
    }

    @Test
    void theDefaultParametersRoundTrip() throws Exception {
        Identity identity = Identity.generate(random);
        KeyFile file = KeyFile.create(identity, PASSCODE, KdfParams.DEFAULT, random);
        KeyFile read = KeyFile.parse(file.toBytes());
        assertThat(read.kdf()).isEqualTo(KdfParams.DEFAULT);
        assertThat(read.open(PASSCODE).privateKey()).isEqualTo(identity.privateKey());
    }

    @Test
    void aWrongPasscodeIsRefused() throws Exception {
        KeyFile file = KeyFile.create(Identity.generate(random), PASSCODE, LIGHT, random);
        assertThatThrownBy(() -> file.open("Blue-Kettle-2048".toCharArray()))
                .isInstanceOf(ProtocolException.class)
                .extracting(e -> ((ProtocolException) e).code())
                .isEqualTo(ErrorCode.WRONG_PASSCODE);
    }

    @Test
    void aWeakPasscodeIsRefusedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> KeyFile.create(Identity.generate(random), "password".toCharArray(), LIGHT, random))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("too weak")
                .extracting(e -> ((ProtocolException) e).code())
                .isEqualTo(ErrorCode.WEAK_PASSCODE);
    }

    @Test
    void changingThePasscodeKeepsTheKeyAndRetiresTheOldPasscode() throws Exception {
        Identity identity = Identity.generate(random);
        KeyFile before = KeyFile.create(identity, PASSCODE, LIGHT, random);
        char[] next = "Green-Teapot-1977".toCharArray();
        KeyFile after = before.changePasscode(PASSCODE, next, random);

        assertThat(after.account()).isEqualTo(before.account());
        assertThat(after.kdf()).isEqualTo(before.kdf());
        assertThat(after.open(next).privateKey()).isEqualTo(identity.privateKey());
        assertThatThrownBy(() -> after.open(PASSCODE))
                .extracting(e -> ((ProtocolException) e).code())
                .isEqualTo(ErrorCode.WRONG_PASSCODE);
        ObjectNode b = Json.parseObject(before.toBytes(), "before");
        ObjectNode a = Json.parseObject(after.toBytes(), "after");
        assertThat(a.get("kdf").get("salt")).isNotEqualTo(b.get("kdf").get("salt"));
        assertThat(a.get("cipher").get("iv")).isNotEqualTo(b.get("cipher").get("iv"));
    }

    @Test
    void changingThePasscodeNeedsTheOldOneAndAStrongNewOne() throws Exception {
        KeyFile file = KeyFile.create(Identity.generate(random), PASSCODE, LIGHT, random);
        assertThatThrownBy(() -> file.changePasscode(
                        "Wrong-Passcode-1".toCharArray(), "Green-Teapot-1977".toCharArray(), random))
                .extracting(e -> ((ProtocolException) e).code())
                .isEqualTo(ErrorCode.WRONG_PASSCODE);
        assertThatThrownBy(() -> file.changePasscode(PASSCODE, "short".toCharArray(), random))
                .extracting(e -> ((ProtocolException) e).code())
                .isEqualTo(ErrorCode.WEAK_PASSCODE);
    }

    @Test
    void noSecretReachesToString() throws Exception {
        Identity identity = Identity.generate(random);
        KeyFile file = KeyFile.create(identity, PASSCODE, LIGHT, random);
        ObjectNode json = Json.parseObject(file.toBytes(), "file");
        String text = file.toString();
        assertThat(text)
                .contains(identity.account())
                .doesNotContain(json.get("ciphertext").asText())
                .doesNotContain(
                        io.streembit.protocol.Hex.encode(identity.privateKey().exportSecret()))
                .doesNotContain(new String(PASSCODE));
    }

    @Test
    void aSwappedPublicKeyDoesNotOpen() throws Exception {
        // Someone replaces public_key/account with their own key: the owner would then encrypt to
        // or publish the wrong identity. The AAD binds the public key, so the file stops opening.
        KeyFile file = KeyFile.create(Identity.generate(random), PASSCODE, LIGHT, random);
        Identity other = Identity.generate(random);
        KeyFile swapped = edit(file, root -> {
            root.put("public_key", other.publicKey().hex());
            root.put("account", other.account());
        });
        assertThat(swapped.account()).isEqualTo(other.account());
        assertThatThrownBy(() -> swapped.open(PASSCODE))
                .extracting(e -> ((ProtocolException) e).code())
                .isEqualTo(ErrorCode.WRONG_PASSCODE);
    }

    @Test
    void everyBoundFieldChangeStopsTheFileOpening() throws Exception {
        KeyFile file = KeyFile.create(Identity.generate(random), PASSCODE, new KdfParams(64, 2, 1), random);
        byte[] otherSalt = new byte[16];
        byte[] otherIv = new byte[12];
        random.nextBytes(otherSalt);
        random.nextBytes(otherIv);
        assertWrongPasscode(edit(file, r -> ((ObjectNode) r.get("kdf")).put("m", 72)));
        assertWrongPasscode(edit(file, r -> ((ObjectNode) r.get("kdf")).put("t", 1)));
        assertWrongPasscode(edit(file, r -> ((ObjectNode) r.get("kdf")).put("p", 2)));
        assertWrongPasscode(edit(file, r -> ((ObjectNode) r.get("kdf")).put("salt", Base64Url.encode(otherSalt))));
        assertWrongPasscode(edit(file, r -> ((ObjectNode) r.get("cipher")).put("iv", Base64Url.encode(otherIv))));
    }

    @Test
    void writeIsOwnerOnlyReplacesAtomicallyAndLeavesNoTemporaryFile() throws Exception {
        Path path = dir.resolve("device.key");
        KeyFile first = KeyFile.create(Identity.generate(random), PASSCODE, LIGHT, random);
        KeyFile second = KeyFile.create(Identity.generate(random), PASSCODE, LIGHT, random);
        first.write(path);
        second.write(path);
        assertThat(KeyFile.read(path).account()).isEqualTo(second.account());
        if (Files.getFileStore(path).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
                    .isEqualTo("rw-------");
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("device.key");
        }
    }

    @Test
    void readRefusesDamagedFilesSayingWhatIsWrong() throws Exception {
        KeyFile file = KeyFile.create(Identity.generate(random), PASSCODE, LIGHT, random);
        Identity other = Identity.generate(random);
        assertBadKeyFile("not JSON".getBytes(StandardCharsets.UTF_8), "not one JSON object");
        assertBadKeyFile(bytes(file, r -> r.remove("kdf")), "no 'kdf' object");
        assertBadKeyFile(bytes(file, r -> r.put("comment", "x")), "unexpected member 'comment'");
        assertBadKeyFile(bytes(file, r -> r.put("version", 2)), "unsupported key file version 2");
        assertBadKeyFile(bytes(file, r -> r.put("version", "1")), "no integer 'version'");
        assertBadKeyFile(
                bytes(file, r -> ((ObjectNode) r.get("kdf")).put("alg", "scrypt")), "kdf.alg must be argon2id");
        assertBadKeyFile(bytes(file, r -> ((ObjectNode) r.get("kdf")).put("m", 1 << 30)), "kdf.m must be");
        assertBadKeyFile(bytes(file, r -> ((ObjectNode) r.get("kdf")).put("t", 0)), "kdf.t must be");
        assertBadKeyFile(bytes(file, r -> ((ObjectNode) r.get("kdf")).put("p", 1.5)), "no integer 'kdf.p'");
        assertBadKeyFile(
                bytes(file, r -> ((ObjectNode) r.get("kdf")).put("salt", "AAAA")), "kdf.salt must be 16..64 bytes");
        assertBadKeyFile(
                bytes(file, r -> ((ObjectNode) r.get("kdf")).put("salt", "AAAAAAAAAAAAAAAAAAAAAA==")),
                "kdf.salt is not canonical");
        assertBadKeyFile(
                bytes(file, r -> ((ObjectNode) r.get("cipher")).put("alg", "A128GCM")), "cipher.alg must be A256GCM");
        assertBadKeyFile(
                bytes(file, r -> ((ObjectNode) r.get("cipher")).put("iv", "AAAAAAAAAAAAAAAAAAAA")),
                "cipher.iv must be 12 bytes, got 15");
        assertBadKeyFile(bytes(file, r -> r.put("ciphertext", "AAAA")), "ciphertext must be 48 bytes");
        assertBadKeyFile(bytes(file, r -> r.put("public_key", "04" + "00".repeat(32))), "public_key is invalid");
        assertBadKeyFile(bytes(file, r -> r.put("account", other.account())), "account is not the SHA-1 of public_key");
        Path big = dir.resolve("big.key");
        Files.write(big, new byte[KeyFile.MAX_FILE_BYTES + 1]);
        assertThatThrownBy(() -> KeyFile.read(big)).hasMessageContaining("too large");
    }

    @Test
    void duplicateMembersAreRefused() throws Exception {
        KeyFile file = KeyFile.create(Identity.generate(random), PASSCODE, LIGHT, random);
        String text = new String(file.toBytes(), StandardCharsets.UTF_8).trim();
        String doubled = text.substring(0, text.length() - 1) + ",\"version\":1}";
        assertBadKeyFile(doubled.getBytes(StandardCharsets.UTF_8), "not one JSON object");
    }

    private static void assertWrongPasscode(KeyFile file) {
        assertThatThrownBy(() -> file.open(PASSCODE))
                .isInstanceOf(ProtocolException.class)
                .extracting(e -> ((ProtocolException) e).code())
                .isEqualTo(ErrorCode.WRONG_PASSCODE);
    }

    private static void assertBadKeyFile(byte[] bytes, String message) {
        assertThatThrownBy(() -> KeyFile.parse(bytes))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining(message)
                .extracting(e -> ((ProtocolException) e).code())
                .isEqualTo(ErrorCode.BAD_KEY_FILE);
    }

    static KeyFile edit(KeyFile file, Consumer<ObjectNode> change) throws ProtocolException {
        return KeyFile.parse(bytes(file, change));
    }

    static byte[] bytes(KeyFile file, Consumer<ObjectNode> change) {
        try {
            ObjectNode root = Json.parseObject(file.toBytes(), "file");
            change.accept(root);
            return Json.bytes(root);
        } catch (ProtocolException e) {
            throw new IllegalStateException(e);
        }
    }
}
