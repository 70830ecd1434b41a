package io.streembit.gateway.config;

import io.smallrye.config.SmallRyeConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code ...-ms} settings of the last release, read as durations for one more. */
class RenamedSettingsTest {
    @Test
    void anOldNumberOfMillisecondsIsReadAsTheNewDuration() {
        SmallRyeConfig config = TestSettings.config(Map.of(
                "streembit.sinks.portal.retry-delay-ms", "100",
                "streembit.sinks.portal.timeout-ms", "1500",
                "streembit.commands.callback-retry-delay-ms", "200",
                "streembit.commands.callback-timeout-ms", "2500"));
        GatewayConfig settings = config.getConfigMapping(GatewayConfig.class);
        assertThat(settings.sinks().portal().retryDelay()).isEqualTo(Duration.ofMillis(100));
        assertThat(settings.sinks().portal().timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(settings.commands().callbackRetryDelay()).isEqualTo(Duration.ofMillis(200));
        assertThat(settings.commands().callbackTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(RenamedSettings.warnings(config))
                .hasSize(4)
                .first()
                .asString()
                .isEqualTo(
                        "streembit.sinks.portal.retry-delay-ms=100 (PropertiesConfigSource[source=application.properties]) "
                                + "is read as streembit.sinks.portal.retry-delay=100ms: rename it, the old name is refused from the next release");
    }

    @Test
    void anOldEnvironmentVariableIsReadToo() {
        GatewayConfig settings = TestSettings.config(Map.of(), Map.of("STREEMBIT_SINKS_PORTAL_TIMEOUT_MS", "750"))
                .getConfigMapping(GatewayConfig.class);
        assertThat(settings.sinks().portal().timeout()).isEqualTo(Duration.ofMillis(750));
    }

    @Test
    void anOldNameInTheActiveProfileIsReadToo() {
        GatewayConfig settings = TestSettings.settings(Map.of("%prod.streembit.commands.callback-timeout-ms", "4000"));
        assertThat(settings.commands().callbackTimeout()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void theNewNameWinsInTheSameSource() {
        SmallRyeConfig config = TestSettings.config(Map.of(
                "streembit.sinks.portal.timeout-ms", "750",
                "streembit.sinks.portal.timeout", "2s"));
        assertThat(config.getConfigMapping(GatewayConfig.class).sinks().portal().timeout())
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(RenamedSettings.warnings(config))
                .singleElement()
                .asString()
                .startsWith("streembit.sinks.portal.timeout-ms=750 (")
                .contains("is ignored: streembit.sinks.portal.timeout=2s (");
    }

    /** As before the rename: an environment variable beats application.properties. */
    @Test
    void anOldNameFromASourceOfHigherPriorityWins() {
        GatewayConfig settings = TestSettings.config(
                        Map.of("streembit.sinks.portal.timeout", "2s"),
                        Map.of("STREEMBIT_SINKS_PORTAL_TIMEOUT_MS", "750"))
                .getConfigMapping(GatewayConfig.class);
        assertThat(settings.sinks().portal().timeout()).isEqualTo(Duration.ofMillis(750));
    }

    @Test
    void noOldNameNoWarning() {
        SmallRyeConfig config = TestSettings.config(Map.of("streembit.sinks.portal.timeout", "2s"));
        assertThat(RenamedSettings.warnings(config)).isEmpty();
        assertThat(config.getConfigMapping(GatewayConfig.class).sinks().portal().timeout())
                .isEqualTo(Duration.ofSeconds(2));
    }
}
