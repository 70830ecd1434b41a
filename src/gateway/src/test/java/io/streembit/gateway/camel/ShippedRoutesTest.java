package io.streembit.gateway.camel;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.streembit.gateway.config.GatewayConfig;
import io.streembit.gateway.config.RouteProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.Route;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.PropertiesSource;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The routes of camel-routes/ start in a plain Camel context with the properties the gateway gives
 * them (its settings, and {@link RouteProperties} over them), with Kafka and the portal off and on:
 * a route that is off does not exist, and nothing needs a stand-in broker or URL. The
 * {@code streembit:} endpoints are stand-ins here; the Quarkus tests run the real ones.
 */
class ShippedRoutesTest {
    private static final Path ROUTES =
            Path.of(System.getProperty("repo.root", "../..")).resolve("camel-routes");
    private static final List<String> ALWAYS =
            List.of("telemetry", "commands-rest", "command-results", "command-callback");

    @Test
    void withoutKafkaAndPortalOnlyTheirRoutesAreLeftOut() throws Exception {
        try (CamelContext context = started(Map.of())) {
            assertThat(routeIds(context)).containsExactlyInAnyOrderElementsOf(ALWAYS);
        }
    }

    @Test
    void withKafkaAndPortalEveryRouteStarts() throws Exception {
        try (CamelContext context = started(Map.of(
                "streembit.sinks.kafka.bootstrap-servers", "127.0.0.1:1",
                "streembit.sinks.portal.url", "http://127.0.0.1:1/ingest"))) {
            assertThat(routeIds(context))
                    .containsExactlyInAnyOrderElementsOf(Stream.concat(
                                    ALWAYS.stream(),
                                    Stream.of(
                                            "telemetry-kafka",
                                            "telemetry-portal",
                                            "commands-kafka",
                                            "command-results-kafka"))
                            .toList());
            assertThat(context.getRouteController()
                            .getRouteStatus("commands-kafka")
                            .isStarted())
                    .isTrue();
        }
    }

    private static List<String> routeIds(CamelContext context) {
        return context.getRoutes().stream().map(Route::getRouteId).toList();
    }

    private static CamelContext started(Map<String, String> properties) throws Exception {
        Map<String, String> all = new HashMap<>(properties);
        all.put("streembit.key.file", "gateway.key");
        all.put("streembit.key.passcode", "x");
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(GatewayConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(all, "test", 250))
                .build();
        DefaultCamelContext context = new DefaultCamelContext();
        context.addComponent("streembit", new StandIn());
        PropertiesComponent placeholders = context.getPropertiesComponent();
        placeholders.addPropertiesSource(new Settings(config)); // as Camel Quarkus reads MicroProfile Config
        RouteProperties.of(config.getConfigMapping(GatewayConfig.class)).forEach(placeholders::addOverrideProperty);
        try (Stream<Path> files = Files.list(ROUTES)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                PluginHelper.getRoutesLoader(context)
                        .loadRoutes(ResourceHelper.resolveResource(context, "file:" + file));
            }
        }
        context.start();
        return context;
    }

    private record Settings(SmallRyeConfig config) implements PropertiesSource {
        @Override
        public String getName() {
            return "settings";
        }

        @Override
        public String getProperty(String name) {
            return config.getOptionalValue(name, String.class).orElse(null);
        }
    }

    /** The {@code streembit:} scheme: endpoints that take any option and do nothing. */
    private static final class StandIn extends DefaultComponent {
        @Override
        protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
            parameters.clear();
            return new DefaultEndpoint(uri, this) {
                @Override
                public Producer createProducer() {
                    return new DefaultProducer(this) {
                        @Override
                        public void process(Exchange exchange) {}
                    };
                }

                @Override
                public Consumer createConsumer(Processor processor) {
                    return new DefaultConsumer(this, processor);
                }
            };
        }
    }
}
