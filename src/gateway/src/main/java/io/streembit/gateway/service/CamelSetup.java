package io.streembit.gateway.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.streembit.gateway.camel.SinkMetrics;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.camel.spi.CamelContextCustomizer;

/** Adds the per-sink figures to the Camel context before its routes start. */
@ApplicationScoped
public class CamelSetup {
    @Produces
    @Singleton
    @Unremovable // looked up by Camel Quarkus at run time, so ArC would otherwise drop it as unused
    CamelContextCustomizer sinkMetrics(MeterRegistry registry) {
        return context -> context.getManagementStrategy().addEventNotifier(new SinkMetrics(registry));
    }
}
