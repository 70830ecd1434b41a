package io.streembit.gateway.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.streembit.gateway.config.GatewayConfig;
import io.streembit.gateway.camel.SinkMetrics;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.camel.spi.CamelContextCustomizer;

/**
 * Prepares the Camel context before its routes start: the per-sink figures, and
 * {@code streembit.kafka.enabled} ("true" when {@code streembit.sinks.kafka.bootstrap-servers}
 * is set), which the routes use to start their Kafka consumers only when there is a broker.
 */
@ApplicationScoped
public class CamelSetup {
    @Produces
    @Singleton
    @Unremovable // looked up by Camel Quarkus at run time, so ArC would otherwise drop it as unused
    CamelContextCustomizer streembitSetup(MeterRegistry registry, GatewayConfig config) {
        boolean kafka = config.sinks().kafka().bootstrapServers().filter(s -> !s.isBlank()).isPresent();
        return context -> {
            context.getManagementStrategy().addEventNotifier(new SinkMetrics(registry));
            context.getPropertiesComponent().addInitialProperty("streembit.kafka.enabled", Boolean.toString(kafka));
        };
    }
}
