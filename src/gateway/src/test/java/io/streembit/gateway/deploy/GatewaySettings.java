package io.streembit.gateway.deploy;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.streembit.gateway.config.GatewayConfig;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The gateway's configuration as the packaged gateway reads it in the {@code prod} profile: the
 * jar's application.properties, then environment variables, through {@link GatewayConfig}
 * itself, so defaults and environment-variable names are the application's, not a copy.
 */
final class GatewaySettings {
    private GatewaySettings() {}

    static Map<String, String> applicationProperties() {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Repository.APPLICATION_PROPERTIES)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> map = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name)));
        return map;
    }

    /** {@code quarkus.http.port} as the jar sets it. */
    static int httpPort() {
        return Integer.parseInt(applicationProperties().get("quarkus.http.port"));
    }

    /** The jar's defaults (the passcode, which has none, set to a placeholder). */
    static GatewayConfig defaults() {
        return config(Map.of("STREEMBIT_KEY_PASSCODE", "placeholder"));
    }

    /** The mapping the gateway builds from its application.properties and this environment. */
    static GatewayConfig config(Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withProfile("prod")
                .withMapping(GatewayConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()) // Quarkus' "5s"
                .withSources(new PropertiesConfigSource(applicationProperties(), "application.properties", 250))
                .withSources(new EnvConfigSource(env, 300))
                .build();
        return config.getConfigMapping(GatewayConfig.class);
    }
}
