package io.streembit.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One configured API key: its name, the SHA-256 of the key (never the key itself), and the
 * caller it authenticates as. {@link #toString} names the key only.
 */
public final class ApiKey {
    private static final Set<String> ROLES = Set.of(Caller.READ, Caller.COMMAND, Caller.ADMIN);

    private final String name;
    private final byte[] digest;
    private final Caller caller;

    private ApiKey(String name, byte[] digest, Caller caller) {
        this.name = name;
        this.digest = digest;
        this.caller = caller;
    }

    /**
     * A key as configured: exactly one of {@code sha256} (64 hex digits) and {@code key} (the
     * plain key) is set; roles are {@code read}, {@code command} or {@code admin}.
     *
     * @throws ApiKeyConfigException naming {@code where} and the problem, never the key
     */
    public static ApiKey of(
            String where,
            String name,
            String sha256,
            String key,
            List<String> roles,
            List<String> devices,
            Map<String, String> labels) {
        if (name == null || name.isBlank()) {
            throw new ApiKeyConfigException(where + ": an API key needs a name");
        }
        String at = where + " (API key " + name + ")";
        if ((sha256 == null) == (key == null)) {
            throw new ApiKeyConfigException(at + ": set exactly one of sha256 (preferred) and key");
        }
        byte[] digest;
        if (sha256 != null) {
            String hex = sha256.trim();
            if (!hex.matches("[0-9a-fA-F]{64}")) {
                throw new ApiKeyConfigException(at + ": sha256 must be 64 hex digits (sha256sum of the key)");
            }
            digest = HexFormat.of().parseHex(hex);
        } else {
            if (key.isEmpty()) {
                throw new ApiKeyConfigException(at + ": key is empty");
            }
            digest = sha256(key);
        }
        if (roles == null || roles.isEmpty()) {
            throw new ApiKeyConfigException(at + ": roles are missing (read, command, admin)");
        }
        for (String role : roles) {
            if (!ROLES.contains(role)) {
                throw new ApiKeyConfigException(at + ": unknown role '" + role + "' (read, command, admin)");
            }
        }
        Caller caller = new Caller(
                "api-key:" + name,
                Set.copyOf(roles),
                devices == null ? Set.of() : Set.copyOf(devices),
                labels == null ? Map.of() : labels);
        return new ApiKey(name, digest, caller);
    }

    /** SHA-256 of the key's UTF-8 bytes. */
    public static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    public String name() {
        return name;
    }

    public Caller caller() {
        return caller;
    }

    /** Constant-time comparison of a presented key's digest with this key's. */
    boolean matches(byte[] presentedDigest) {
        return MessageDigest.isEqual(digest, presentedDigest);
    }

    boolean sameKeyAs(ApiKey other) {
        return MessageDigest.isEqual(digest, other.digest);
    }

    @Override
    public String toString() {
        return "ApiKey[" + name + ", roles=" + caller.roles() + "]";
    }
}
