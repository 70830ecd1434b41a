package io.streembit.gateway.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Camel properties the routes read, derived from the settings. */
class RoutePropertiesTest {
    @Test
    void defaultsInMillisecondsAndKafkaOff() {
        assertThat(RouteProperties.of(TestSettings.settings(Map.of())))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "streembit.kafka.enabled", "false",
                        "streembit.portal.enabled", "false",
                        "streembit.sinks.portal.retry-delay-ms", "500",
                        "streembit.sinks.portal.timeout-ms", "10000",
                        "streembit.commands.callback-retry-delay-ms", "500",
                        "streembit.commands.callback-timeout-ms", "10000"));
    }

    @Test
    void durationsInAnyFormatBecomeMilliseconds() {
        Map<String, String> derived = RouteProperties.of(TestSettings.settings(Map.of(
                "streembit.sinks.portal.retry-delay", "2s",
                "streembit.sinks.portal.timeout", "PT1M",
                "streembit.commands.callback-retry-delay", "250ms",
                "streembit.commands.callback-timeout", "3"))); // a bare number is seconds
        assertThat(derived)
                .containsEntry("streembit.sinks.portal.retry-delay-ms", "2000")
                .containsEntry("streembit.sinks.portal.timeout-ms", "60000")
                .containsEntry("streembit.commands.callback-retry-delay-ms", "250")
                .containsEntry("streembit.commands.callback-timeout-ms", "3000");
    }

    @Test
    void kafkaIsOnWhenBootstrapServersAreSetAndThePortalWhenItsUrlIs() {
        assertThat(RouteProperties.of(
                        TestSettings.settings(Map.of("streembit.sinks.kafka.bootstrap-servers", "kafka:9092"))))
                .containsEntry("streembit.kafka.enabled", "true")
                .containsEntry("streembit.portal.enabled", "false");
        assertThat(RouteProperties.of(TestSettings.settings(
                        Map.of("streembit.sinks.portal.url", "https://portal.example.net/ingest"))))
                .containsEntry("streembit.kafka.enabled", "false")
                .containsEntry("streembit.portal.enabled", "true");
    }
}
