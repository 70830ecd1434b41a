package io.streembit.gateway.camel;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

import java.util.Arrays;

/** One {@code streembit:<kind>} endpoint; see {@link StreembitComponent} for the kinds. */
@UriEndpoint(scheme = "streembit", title = "Streembit", syntax = "streembit:kind", category = Category.IOT)
public final class StreembitEndpoint extends DefaultEndpoint {
    public enum Kind {
        TELEMETRY("telemetry"),
        READINGS("readings"),
        DEAD_LETTER("dead-letter"),
        COMMANDS("commands"),
        COMMAND_RESULTS("command-results");

        private final String path;

        Kind(String path) {
            this.path = path;
        }

        static Kind fromPath(String path) {
            for (Kind kind : values()) {
                if (kind.path.equals(path)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown streembit endpoint '" + path + "'; known: "
                    + Arrays.stream(values()).map(k -> k.path).toList());
        }
    }

    @UriPath(description = "telemetry and command-results (consumers), readings, dead-letter and commands (producers)")
    @Metadata(required = true)
    private final Kind kind;

    @UriParam(description = "dead-letter: the name of the sink that gave up (stored with the message)")
    private String sink = "unknown";

    @UriParam(description = "dead-letter: the retries the sink made before giving up (recorded as attempts)")
    private int retries;

    @UriParam(description = "commands: the intake's name, kept with each command (rest, kafka, ...)")
    private String source = "route";

    StreembitEndpoint(String uri, StreembitComponent component, Kind kind) {
        super(uri, component);
        this.kind = kind;
    }

    Kind kind() {
        return kind;
    }

    @Override
    public StreembitComponent getComponent() {
        return (StreembitComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return switch (kind) {
            case READINGS ->
                new ReadingsProducer(
                        this, getComponent().readings(), getComponent().completions());
            case DEAD_LETTER -> new DeadLetterProducer(this, getComponent().deadLetters(), sink, retries);
            case COMMANDS -> new CommandsProducer(this, getComponent().commands(), source);
            case TELEMETRY, COMMAND_RESULTS ->
                throw new IllegalArgumentException("streembit:" + kind.path + " is a consumer only");
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        org.apache.camel.support.DefaultConsumer consumer = switch (kind) {
            case TELEMETRY ->
                new TelemetryConsumer(this, processor, getComponent().hub());
            case COMMAND_RESULTS ->
                new CommandResultsConsumer(
                        this, processor, getComponent().outbox(), getComponent().dispatchers());
            default -> throw new IllegalArgumentException("streembit:" + kind.path + " is a producer only");
        };
        configureConsumer(consumer);
        return consumer;
    }

    public int getRetries() {
        return retries;
    }

    /** dead-letter: the retries the sink made before giving up. */
    public void setRetries(int retries) {
        this.retries = retries;
    }

    public String getSource() {
        return source;
    }

    /** commands: the intake's name, kept with each command. */
    public void setSource(String source) {
        this.source = source;
    }

    public String getSink() {
        return sink;
    }

    /** dead-letter: the name of the sink that gave up. */
    public void setSink(String sink) {
        this.sink = sink;
    }
}
