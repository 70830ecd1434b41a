package io.streembit.gateway.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code streembit.auth.*} as properties and as environment variables (docs/configuration.md). */
class AuthConfigTest {
    private static final String HEX = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @Test
    void defaultsAreAuthenticationOnAndNoKeys() {
        GatewayConfig.Auth auth = config(Map.of(), Map.of()).auth();
        assertThat(auth.enabled()).isTrue();
        assertThat(auth.apiKeys()).isEmpty();
        assertThat(auth.apiKeysFile()).isEmpty();
    }

    @Test
    void keysFromProperties() {
        GatewayConfig.Auth auth = config(
                        Map.of(
                                "streembit.auth.api-keys.portal-eu.sha256", HEX,
                                "streembit.auth.api-keys.portal-eu.roles", "read,command",
                                "streembit.auth.api-keys.portal-eu.devices", "d1,d2",
                                "streembit.auth.api-keys.portal-eu.labels.site", "lab",
                                "streembit.auth.api-keys.ops.key", "plain",
                                "streembit.auth.api-keys.ops.roles", "admin",
                                "streembit.auth.api-keys-file", "/etc/streembit/api-keys.json"),
                        Map.of())
                .auth();
        GatewayConfig.ApiKey portal = auth.apiKeys().get("portal-eu");
        assertThat(portal.sha256()).contains(HEX);
        assertThat(portal.key()).isEmpty();
        assertThat(portal.roles()).containsExactly("read", "command");
        assertThat(portal.devices()).contains(List.of("d1", "d2"));
        assertThat(portal.labels()).isEqualTo(Map.of("site", "lab"));
        GatewayConfig.ApiKey ops = auth.apiKeys().get("ops");
        assertThat(ops.key()).contains("plain");
        assertThat(ops.devices()).isEmpty();
        assertThat(ops.labels()).isEmpty();
        assertThat(auth.apiKeysFile()).contains(Path.of("/etc/streembit/api-keys.json"));
    }

    /** A name of lower-case letters and digits works as an environment variable; anything else needs the file. */
    @Test
    void keysFromEnvironmentVariables() {
        GatewayConfig.Auth auth = config(
                        Map.of(),
                        Map.of(
                                "STREEMBIT_AUTH_ENABLED", "false",
                                "STREEMBIT_AUTH_API_KEYS_OPS_SHA256", HEX,
                                "STREEMBIT_AUTH_API_KEYS_OPS_ROLES", "admin",
                                "STREEMBIT_AUTH_API_KEYS_FILE", "/etc/streembit/api-keys.json"))
                .auth();
        assertThat(auth.enabled()).isFalse();
        assertThat(auth.apiKeys()).containsOnlyKeys("ops");
        assertThat(auth.apiKeys().get("ops").sha256()).contains(HEX);
        assertThat(auth.apiKeys().get("ops").roles()).containsExactly("admin");
        assertThat(auth.apiKeysFile()).contains(Path.of("/etc/streembit/api-keys.json"));
    }

    private static GatewayConfig config(Map<String, String> properties, Map<String, String> env) {
        Map<String, String> required = Map.of("streembit.key.file", "gateway.key", "streembit.key.passcode", "x");
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(GatewayConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()) // Quarkus' "5s"
                .withSources(new PropertiesConfigSource(required, "required", 100))
                .withSources(new PropertiesConfigSource(properties, "test", 200))
                .withSources(new EnvConfigSource(env, 300))
                .build();
        return config.getConfigMapping(GatewayConfig.class);
    }
}
