package io.streembit.gateway.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Camel properties the gateway derives from its settings for the routes' {@code {{...}}}
 * placeholders: the one place where a setting is turned into the shape a route needs. They are
 * not settings: the gateway sets them when the Camel context is built, over anything configured
 * under the same name (docs/configuration.md, "Derived for the routes").
 *
 * <ul>
 *   <li>{@value #KAFKA_ENABLED}: {@code true} when {@code streembit.sinks.kafka.bootstrap-servers}
 *       is set, else {@code false}. It is the only switch of Kafka in the routes: the Kafka routes
 *       exist only when it is true (their {@code precondition}), and the telemetry and result routes
 *       send to them only then. A route that does not exist resolves none of its placeholders, so
 *       no route needs a stand-in value for an unset broker.</li>
 *   <li>{@value #PORTAL_ENABLED}: the same for the portal route and {@code streembit.sinks.portal.url}.</li>
 *   <li>Durations in milliseconds, which is what Camel's redelivery and HTTP options take:
 *       {@code streembit.sinks.portal.retry-delay-ms}, {@code streembit.sinks.portal.timeout-ms},
 *       {@code streembit.commands.callback-retry-delay-ms}, {@code streembit.commands.callback-timeout-ms}.
 *       They keep the names these settings had when they were numbers of milliseconds, so a route
 *       written against those names goes on working.</li>
 * </ul>
 */
public final class RouteProperties {
    public static final String KAFKA_ENABLED = "streembit.kafka.enabled";
    public static final String PORTAL_ENABLED = "streembit.portal.enabled";

    private RouteProperties() {}

    /** Name to value, in a stable order (the start logs them at DEBUG). */
    public static Map<String, String> of(GatewayConfig config) {
        Map<String, String> properties = new LinkedHashMap<>();
        GatewayConfig.Sinks sinks = config.sinks();
        properties.put(
                KAFKA_ENABLED,
                Boolean.toString(sinks.kafka()
                        .bootstrapServers()
                        .filter(s -> !s.isBlank())
                        .isPresent()));
        properties.put(
                PORTAL_ENABLED,
                Boolean.toString(sinks.portal().url().filter(s -> !s.isBlank()).isPresent()));
        properties.put(
                "streembit.sinks.portal.retry-delay-ms", millis(sinks.portal().retryDelay()));
        properties.put(
                "streembit.sinks.portal.timeout-ms", millis(sinks.portal().timeout()));
        properties.put(
                "streembit.commands.callback-retry-delay-ms",
                millis(config.commands().callbackRetryDelay()));
        properties.put(
                "streembit.commands.callback-timeout-ms",
                millis(config.commands().callbackTimeout()));
        return properties;
    }

    private static String millis(Duration duration) {
        return Long.toString(duration.toMillis());
    }
}
