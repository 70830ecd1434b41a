package io.streembit.gateway.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link GatewayConfig} built by SmallRye Config from maps, without Quarkus: properties at the
 * ordinal of application.properties, environment variables above them, the interceptors Quarkus
 * would find (ours among them) and Quarkus' duration format.
 */
final class TestSettings {
    /** What every gateway must set; anything else has a default. */
    static final Map<String, String> REQUIRED =
            Map.of("streembit.key.file", "gateway.key", "streembit.key.passcode", "x");

    private TestSettings() {}

    static SmallRyeConfig config(Map<String, String> properties) {
        return config(properties, Map.of());
    }

    static SmallRyeConfig config(Map<String, String> properties, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(REQUIRED);
        all.putAll(properties);
        return new SmallRyeConfigBuilder()
                .withProfile("prod")
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .withMapping(GatewayConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()) // Quarkus' "5s"
                .withSources(new PropertiesConfigSource(all, "application.properties", 250))
                .withSources(new EnvConfigSource(env, 300))
                .build();
    }

    static GatewayConfig settings(Map<String, String> properties) {
        return config(properties).getConfigMapping(GatewayConfig.class);
    }
}
