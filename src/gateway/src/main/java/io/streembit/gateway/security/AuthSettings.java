package io.streembit.gateway.security;

import io.quarkus.runtime.StartupEvent;
import io.streembit.gateway.config.GatewayConfig;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the REST API authenticates, from {@code streembit.auth.*} and SmallRye JWT's key settings,
 * read and checked at start: a bad API key setting stops the start with a message naming it.
 */
@Singleton
public class AuthSettings {
    private static final Logger LOG = Logger.getLogger(AuthSettings.class);
    /** The settings that give SmallRye JWT a verification key; "NONE" is its own "unset". */
    private static final List<String> JWT_KEYS = List.of(
            "mp.jwt.verify.publickey.location",
            "mp.jwt.verify.publickey",
            "smallrye.jwt.verify.key.location",
            "smallrye.jwt.verify.key");

    private final boolean enabled;
    private final ApiKeys apiKeys;
    private final Optional<String> jwtKey;

    AuthSettings(GatewayConfig config, Config mpConfig) {
        GatewayConfig.Auth auth = config.auth();
        this.enabled = auth.enabled();
        this.apiKeys = apiKeys(auth);
        this.jwtKey = JWT_KEYS.stream()
                .filter(k -> mpConfig.getOptionalValue(k, String.class)
                        .filter(v -> !v.isBlank() && !"NONE".equals(v))
                        .isPresent())
                .findFirst();
    }

    static ApiKeys apiKeys(GatewayConfig.Auth auth) {
        List<ApiKey> keys = new ArrayList<>();
        for (Map.Entry<String, GatewayConfig.ApiKey> e : auth.apiKeys().entrySet()) {
            GatewayConfig.ApiKey k = e.getValue();
            keys.add(ApiKey.of(
                    "streembit.auth.api-keys." + e.getKey(),
                    e.getKey(),
                    k.sha256().orElse(null),
                    k.key().orElse(null),
                    k.roles(),
                    k.devices().orElse(List.of()),
                    k.labels()));
        }
        auth.apiKeysFile().ifPresent(file -> keys.addAll(ApiKeyFile.read(file)));
        return ApiKeys.of(keys);
    }

    void logAtStart(@Observes StartupEvent start) {
        if (!enabled) {
            LOG.warn("API authentication is OFF (streembit.auth.enabled=false): every request is the anonymous "
                    + "caller with the admin role, so anyone who reaches the HTTP port may register and revoke devices "
                    + "and send commands. Use this for a trial on a laptop only.");
            return;
        }
        String jwt = jwtKey.map(k -> "verified with the key of " + k)
                .orElse("refused (no mp.jwt.verify.publickey.location or mp.jwt.verify.publickey set)");
        LOG.infof(
                "API authentication: %d API key(s) %s; JWT bearer tokens %s",
                apiKeys.names().size(), apiKeys.names(), jwt);
        if (apiKeys.isEmpty() && jwtKey.isEmpty()) {
            LOG.warn("no API key and no JWT key is configured: every /api request but GET /api/gateway/offer "
                    + "is refused with 401 (see streembit.auth.* in docs/configuration.md)");
        }
    }

    public boolean enabled() {
        return enabled;
    }

    public ApiKeys apiKeys() {
        return apiKeys;
    }

    /** Whether bearer tokens can be verified at all (a JWT verification key is configured). */
    public boolean jwtConfigured() {
        return jwtKey.isPresent();
    }

    /** The {@code WWW-Authenticate} value of a 401: the schemes a client may use. */
    public String challenge() {
        return jwtConfigured()
                ? "ApiKey realm=\"streembit\", header=\"" + ApiKeyAuthenticationMechanism.HEADER
                        + "\", Bearer realm=\"streembit\""
                : "ApiKey realm=\"streembit\", header=\"" + ApiKeyAuthenticationMechanism.HEADER + "\"";
    }
}
