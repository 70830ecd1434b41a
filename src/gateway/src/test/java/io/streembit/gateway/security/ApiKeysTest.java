package io.streembit.gateway.security;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** API keys from configuration and from the key file, and how a presented key is checked. */
class ApiKeysTest {
    private static final String OPS_KEY = "0d5b7e8f1a2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6";
    private static final String PORTAL_KEY = "portal-key-for-tests";

    @Test
    void theFileGivesEachKeyItsCaller() {
        String json = """
                [{"name": "ops", "sha256": "%s", "roles": ["admin"]},
                 {"name": "portal", "key": "%s", "roles": ["read", "command"],
                  "devices": ["a9c6287c794817903fcce3cab762b787798486f5"], "labels": {"site": "lab"}}]
                """.formatted(hex(OPS_KEY), PORTAL_KEY);
        ApiKeys keys = ApiKeys.of(ApiKeyFile.parse("test file", json.getBytes(StandardCharsets.UTF_8)));

        assertThat(keys.names()).containsExactly("ops", "portal");
        Caller ops = keys.authenticate(OPS_KEY).orElseThrow();
        assertThat(ops.name()).isEqualTo("api-key:ops");
        assertThat(ops.roles()).containsExactly(Caller.ADMIN);
        assertThat(ops.devices()).isEmpty();
        assertThat(ops.mayAccess("any", Map.of())).isTrue();
        Caller portal = keys.authenticate(PORTAL_KEY).orElseThrow();
        assertThat(portal.name()).isEqualTo("api-key:portal");
        assertThat(portal.roles()).containsExactlyInAnyOrder(Caller.READ, Caller.COMMAND);
        assertThat(portal.devices()).containsExactly("a9c6287c794817903fcce3cab762b787798486f5");
        assertThat(portal.labels()).isEqualTo(Map.of("site", "lab"));
    }

    @Test
    void onlyTheExactKeyMatches() {
        ApiKeys keys = ApiKeys.of(List.of(key("ops", OPS_KEY)));
        assertThat(keys.authenticate(OPS_KEY)).isPresent();
        // near misses: a character changed, cut short, extended, other case, padded
        assertThat(keys.authenticate(OPS_KEY.substring(0, 63) + "7")).isEmpty();
        assertThat(keys.authenticate(OPS_KEY.substring(0, 32))).isEmpty();
        assertThat(keys.authenticate(OPS_KEY + "0")).isEmpty();
        assertThat(keys.authenticate(OPS_KEY.toUpperCase())).isEmpty();
        assertThat(keys.authenticate(" " + OPS_KEY)).isEmpty();
        assertThat(keys.authenticate("")).isEmpty();
        // what is stored is the digest: presenting the digest itself gets nothing
        assertThat(keys.authenticate(hex(OPS_KEY))).isEmpty();
        assertThat(ApiKeys.none().authenticate(OPS_KEY)).isEmpty();
    }

    /**
     * The comparison is {@code MessageDigest.isEqual} of two 32-byte SHA-256 digests, against every
     * configured key: its time depends neither on how much of a guess is right (the guess is
     * hashed first, so a near miss shares no prefix with the stored digest) nor on which key
     * matched. Here: a key matches wherever it stands in the list, and every digest is compared.
     */
    @Test
    void theCheckHashesThePresentedKeyAndComparesEveryDigestInConstantTime() {
        List<ApiKey> many =
                List.of(key("a", "key-a-0123456789"), key("b", "key-b-0123456789"), key("c", "key-c-0123456789"));
        ApiKeys keys = ApiKeys.of(many);
        assertThat(keys.authenticate("key-a-0123456789").orElseThrow().name()).isEqualTo("api-key:a");
        assertThat(keys.authenticate("key-c-0123456789").orElseThrow().name()).isEqualTo("api-key:c");
        // keys sharing a long prefix have digests that share nothing: the digest of the guess is what is compared
        byte[] a = ApiKey.sha256("key-a-0123456789");
        byte[] b = ApiKey.sha256("key-a-0123456788");
        assertThat(a).hasSize(32);
        assertThat(a[0] == b[0] && a[1] == b[1] && a[2] == b[2]).isFalse();
        assertThat(many.get(0).matches(a)).isTrue();
        assertThat(many.get(0).matches(b)).isFalse();
        // a digest of another length never matches (isEqual, not a prefix comparison)
        assertThat(many.get(0).matches(Arrays.copyOf(a, 16))).isFalse();
    }

    @Test
    void badEntriesStopTheStartWithoutShowingTheKey() {
        assertRefused("not json " + PORTAL_KEY, "is not JSON");
        assertRefused("{\"name\": \"x\"}", "must be a JSON array");
        assertRefused("[\"x\"]", "entry 0 is not an object");
        assertRefused(
                "[{\"name\": \"x\", \"key\": \"" + PORTAL_KEY + "\", \"role\": [\"read\"]}]", "unknown member 'role'");
        assertRefused(
                "[{\"name\": \"x\", \"key\": \"" + PORTAL_KEY + "\", \"sha256\": \"" + hex(PORTAL_KEY)
                        + "\", \"roles\": [\"read\"]}]",
                "exactly one of sha256");
        assertRefused("[{\"name\": \"x\", \"roles\": [\"read\"]}]", "exactly one of sha256");
        assertRefused("[{\"name\": \"x\", \"sha256\": \"abc\", \"roles\": [\"read\"]}]", "64 hex digits");
        assertRefused(
                "[{\"name\": \"x\", \"key\": \"" + PORTAL_KEY + "\", \"roles\": [\"reader\"]}]",
                "unknown role 'reader'");
        assertRefused("[{\"name\": \"x\", \"key\": \"" + PORTAL_KEY + "\"}]", "roles are missing");
        assertRefused("[{\"name\": \"x\", \"key\": \"" + PORTAL_KEY + "\", \"roles\": []}]", "roles are missing");
        assertRefused("[{\"key\": \"" + PORTAL_KEY + "\", \"roles\": [\"read\"]}]", "needs a name");
        assertRefused(
                "[{\"name\": \"x\", \"key\": \"" + PORTAL_KEY
                        + "\", \"roles\": [\"read\"], \"labels\": {\"site\": 1}}]",
                "label site must be a string");
        assertRefused(
                "[{\"name\": \"x\", \"key\": \"" + PORTAL_KEY + "\", \"roles\": [\"read\"], \"devices\": \"d\"}]",
                "devices must be an array");
    }

    @Test
    void twoEntriesMayShareNeitherANameNorAKey() {
        assertThatThrownBy(() -> ApiKeys.of(List.of(key("x", PORTAL_KEY), key("x", OPS_KEY))))
                .isInstanceOf(ApiKeyConfigException.class)
                .hasMessageContaining("configured twice");
        assertThatThrownBy(() -> ApiKeys.of(List.of(key("x", PORTAL_KEY), key("y", PORTAL_KEY))))
                .isInstanceOf(ApiKeyConfigException.class)
                .hasMessageContaining("x and y are the same key")
                .message()
                .doesNotContain(PORTAL_KEY)
                .doesNotContain(hex(PORTAL_KEY));
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = Path.of("/nonexistent/streembit-api-keys.json");
        assertThatThrownBy(() -> ApiKeyFile.read(missing))
                .isInstanceOf(ApiKeyConfigException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void aFileIsReadFromDisk() throws Exception {
        Path file = Files.createTempFile("api-keys", ".json");
        try {
            Files.writeString(
                    file, "[{\"name\": \"ops\", \"sha256\": \"" + hex(OPS_KEY) + "\", \"roles\": [\"read\"]}]");
            assertThat(ApiKeys.of(ApiKeyFile.read(file)).authenticate(OPS_KEY)).isPresent();
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void noKeyReachesToString() {
        ApiKey key = key("ops", OPS_KEY);
        assertThat(key.toString()).contains("ops").doesNotContain(OPS_KEY).doesNotContain(hex(OPS_KEY));
        assertThat(ApiKeys.of(List.of(key)).toString()).doesNotContain(OPS_KEY);
        assertThat(new ApiKeyAuthenticationRequest(OPS_KEY).toString()).doesNotContain(OPS_KEY);
    }

    private static void assertRefused(String json, String message) {
        assertThatThrownBy(() -> ApiKeyFile.parse("keys.json", json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ApiKeyConfigException.class)
                .hasMessageContaining("keys.json")
                .hasMessageContaining(message)
                .message()
                .doesNotContain(PORTAL_KEY)
                .doesNotContain(hex(PORTAL_KEY));
    }

    private static ApiKey key(String name, String key) {
        return ApiKey.of("test", name, null, key, List.of(Caller.READ), null, Map.of());
    }

    private static String hex(String key) {
        return HexFormat.of().formatHex(ApiKey.sha256(key));
    }
}
