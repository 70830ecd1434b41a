package io.streembit.gateway.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A bad setting stops the start with one line naming the key and its value: the settings are built
 * by SmallRye Config from properties, as the gateway builds them, and checked as the start checks them.
 */
class SettingsCheckTest {
    @Test
    void theDefaultsAreGood() {
        assertThat(SettingsCheck.problems(TestSettings.settings(Map.of()))).isEmpty();
    }

    @Test
    void aClusterWithoutKafkaOrWithAHeartbeatAsLongAsItsSession() {
        assertRefused(
                Map.of("streembit.cluster.enabled", "true"),
                "bad setting: streembit.cluster.enabled=true: cluster mode needs Kafka: set"
                        + " streembit.cluster.bootstrap-servers or streembit.sinks.kafka.bootstrap-servers");
        assertRefused(
                Map.of("streembit.cluster.heartbeat-interval", "6s"),
                "bad setting: streembit.cluster.heartbeat-interval=6s: must be shorter than"
                        + " streembit.cluster.session-timeout (6s), a third of it or less");
        assertRefused(
                Map.of("streembit.cluster.shards", "0"), "bad setting: streembit.cluster.shards=0: must be at least 1");
        assertThat(SettingsCheck.problems(TestSettings.settings(Map.of(
                        "streembit.cluster.enabled", "true", "streembit.sinks.kafka.bootstrap-servers", "kafka:9092"))))
                .isEmpty();
    }

    @Test
    void noBatchInFlight() {
        assertRefused(
                Map.of("streembit.ingest.max-in-flight", "0"),
                "bad setting: streembit.ingest.max-in-flight=0: must be at least 1");
    }

    @Test
    void aNegativeDuration() {
        assertRefused(
                Map.of("streembit.ingest.poll-interval", "-5s"),
                "bad setting: streembit.ingest.poll-interval=-5s: must be longer than 0");
        assertRefused(
                Map.of("streembit.sinks.portal.retry-delay", "-500ms"),
                "bad setting: streembit.sinks.portal.retry-delay=-500ms: must not be negative");
    }

    @Test
    void aCommandTimeoutLongerThanADhtRecordLives() {
        assertRefused(
                Map.of("streembit.commands.max-timeout", "48h"),
                "bad setting: streembit.commands.max-timeout=48h: must be at most 24h, the lifetime of a command record in the DHT");
    }

    @Test
    void aDefaultCommandTimeoutLongerThanTheLongest() {
        assertRefused(
                Map.of("streembit.commands.max-timeout", "1m", "streembit.commands.default-timeout", "5m"),
                "bad setting: streembit.commands.default-timeout=5m: must not be longer than streembit.commands.max-timeout (1m)");
    }

    @Test
    void aBadPortalUrl() {
        assertRefused(
                Map.of("streembit.sinks.portal.url", "ftp://portal.example.net/ingest"),
                "bad setting: streembit.sinks.portal.url=ftp://portal.example.net/ingest: must be an http:// or https:// URL");
        assertRefused(
                Map.of("streembit.sinks.portal.url", "portal.example.net/ingest"),
                "bad setting: streembit.sinks.portal.url=portal.example.net/ingest: must be an http:// or https:// URL");
        assertRefused(
                Map.of("streembit.sinks.portal.url", "http://portal example/ingest"),
                "bad setting: streembit.sinks.portal.url=http://portal example/ingest: is not a URL (Illegal character in authority at index 7)");
        assertRefused(
                Map.of("streembit.sinks.portal.url", "https:///ingest"),
                "bad setting: streembit.sinks.portal.url=https:///ingest: names no host");
    }

    /** The routes take milliseconds, and 0 would be no timeout at all. */
    @Test
    void aTimeoutUnderAMillisecond() {
        assertRefused(
                Map.of("streembit.commands.callback-timeout", "PT0.0004S"),
                "bad setting: streembit.commands.callback-timeout=PT0.0004S: must be at least 1ms");
    }

    @Test
    void retriesThatShrink() {
        assertRefused(
                Map.of("streembit.ingest.retry-initial", "2s", "streembit.ingest.retry-max", "1s"),
                "bad setting: streembit.ingest.retry-max=1s: must not be shorter than streembit.ingest.retry-initial (2s)");
    }

    @Test
    void everyBadSettingOnOneLine() {
        assertRefused(
                Map.of("streembit.dht.port", "70000", "streembit.sinks.postgres.writers", "0"),
                "bad settings: streembit.dht.port=70000: must be a TCP port, 0 to 65535 (0 picks a free one); "
                        + "streembit.sinks.postgres.writers=0: must be at least 1");
    }

    /** What does not parse never gets this far: SmallRye Config names the key itself. */
    @Test
    void aValueThatDoesNotParseIsRefusedByTheConfigurationItself() {
        assertThatThrownBy(() -> TestSettings.settings(Map.of("streembit.ingest.max-in-flight", "many")))
                .hasMessageContaining("streembit.ingest.max-in-flight")
                .hasMessageContaining("many");
        assertThatThrownBy(() -> TestSettings.settings(Map.of("streembit.sinks.portal.timeout", "10 seconds")))
                .hasMessageContaining("streembit.sinks.portal.timeout")
                .hasMessageContaining("10 seconds");
    }

    @Test
    void durationsAreShownAsTheyAreWritten() {
        assertThat(SettingsCheck.text(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(SettingsCheck.text(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(SettingsCheck.text(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(SettingsCheck.text(Duration.ofHours(48))).isEqualTo("48h");
        assertThat(SettingsCheck.text(Duration.ZERO)).isEqualTo("0ms");
    }

    private static void assertRefused(Map<String, String> properties, String message) {
        GatewayConfig settings = TestSettings.settings(properties);
        assertThatThrownBy(() -> SettingsCheck.require(settings))
                .isInstanceOf(SettingsCheck.InvalidSettings.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
