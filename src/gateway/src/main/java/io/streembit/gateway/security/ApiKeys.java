package io.streembit.gateway.security;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The API keys the gateway accepts. A presented key is hashed with SHA-256 and compared with
 * every configured digest in constant time ({@link java.security.MessageDigest#isEqual}), all
 * of them, whichever matches: the time taken says nothing about how close a guess was, or
 * which key it hit.
 */
public final class ApiKeys {
    private final List<ApiKey> keys;

    private ApiKeys(List<ApiKey> keys) {
        this.keys = List.copyOf(keys);
    }

    /**
     * @throws ApiKeyConfigException when two keys share a name, or two names share a key
     */
    public static ApiKeys of(List<ApiKey> keys) {
        Set<String> names = new HashSet<>();
        List<ApiKey> checked = new ArrayList<>();
        for (ApiKey key : keys) {
            if (!names.add(key.name())) {
                throw new ApiKeyConfigException("API key " + key.name() + " is configured twice");
            }
            for (ApiKey earlier : checked) {
                if (earlier.sameKeyAs(key)) {
                    throw new ApiKeyConfigException(
                            "API keys " + earlier.name() + " and " + key.name() + " are the same key");
                }
            }
            checked.add(key);
        }
        return new ApiKeys(checked);
    }

    public static ApiKeys none() {
        return new ApiKeys(List.of());
    }

    /** The caller of the key {@code presented}, if it is one of ours. */
    public Optional<Caller> authenticate(String presented) {
        byte[] digest = ApiKey.sha256(presented);
        ApiKey match = null;
        for (ApiKey key : keys) {
            if (key.matches(digest) && match == null) {
                match = key;
            }
        }
        return match == null ? Optional.empty() : Optional.of(match.caller());
    }

    public List<String> names() {
        return keys.stream().map(ApiKey::name).toList();
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    @Override
    public String toString() {
        return "ApiKeys" + names();
    }
}
