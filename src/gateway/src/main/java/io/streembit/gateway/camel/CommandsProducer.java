package io.streembit.gateway.camel;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.gateway.commands.CommandIntake;
import io.streembit.gateway.commands.CommandJson;
import io.streembit.gateway.commands.CommandRefused;
import io.streembit.gateway.commands.CommandRequest;
import io.streembit.gateway.commands.CommandStore;
import io.streembit.gateway.security.Caller;
import io.streembit.protocol.Json;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * {@code streembit:commands}: the one way into the command queue. The body is a command request
 * (JSON text, bytes, a Jackson tree or a map); {@code Streembit-Device} names the device where the
 * body does not. The caller is the exchange's {@code streembit.caller} property (the REST route
 * sets it from the authenticated identity), else the Kafka topic the record came from, else the
 * route. Answers with the command's view as the body and its id, status and whether it was
 * created as headers; a refused request fails the exchange with {@link CommandRefused} and sets
 * the {@code Streembit-Error} (its code) and {@code Streembit-Error-Message} headers.
 */
final class CommandsProducer extends DefaultProducer {
    private final CommandIntake intake;
    private final String source;

    CommandsProducer(StreembitEndpoint endpoint, CommandIntake intake, String source) {
        super(endpoint);
        this.intake = intake;
        this.source = source;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        try {
            submit(exchange);
        } catch (CommandRefused e) {
            // for routes that pass the refusal on (the Kafka intake's dead-letter topic)
            exchange.getIn().setHeader(CommandHeaders.ERROR, e.reason().code());
            exchange.getIn().setHeader(CommandHeaders.ERROR_MESSAGE, e.getMessage());
            throw e;
        }
    }

    private void submit(Exchange exchange) throws Exception {
        CommandRequest request = request(exchange);
        String header = exchange.getIn().getHeader(CommandHeaders.DEVICE, String.class);
        if (header != null) {
            if (request.deviceId() != null && !request.deviceId().equals(header)) {
                throw new CommandRefused(
                        CommandRefused.Reason.MALFORMED,
                        "deviceId " + request.deviceId() + " in the body and " + header + " in " + CommandHeaders.DEVICE
                                + " differ");
            }
            request = request.forDevice(header);
        }
        if (request.correlationId() == null && exchange.getIn().getHeader("kafka.OFFSET") != null) {
            // a record read twice (a crash before its offset was committed) is one command
            request = request.withCorrelationId("kafka:" + exchange.getIn().getHeader("kafka.PARTITION") + ":"
                    + exchange.getIn().getHeader("kafka.OFFSET"));
        }
        CommandStore.Intake result = intake.submit(request, caller(exchange), source);
        exchange.getMessage().setBody(Json.text(CommandJson.view(result.command(), null)));
        exchange.getMessage()
                .setHeader(CommandHeaders.COMMAND_ID, result.command().id());
        exchange.getMessage()
                .setHeader(CommandHeaders.STATUS, result.command().status().name());
        exchange.getMessage().setHeader(CommandHeaders.CREATED, Boolean.toString(result.created()));
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
    }

    private static CommandRequest request(Exchange exchange) throws CommandRefused {
        Object body = exchange.getIn().getBody();
        if (body instanceof JsonNode json) {
            return CommandRequest.parse(json);
        }
        if (body instanceof Map<?, ?> map) {
            return CommandRequest.parse(Json.MAPPER.valueToTree(map));
        }
        if (body instanceof byte[] bytes) {
            return CommandRequest.parse(bytes);
        }
        String text = exchange.getIn().getBody(String.class);
        if (text == null) {
            throw new CommandRefused(CommandRefused.Reason.MALFORMED, "the body is empty");
        }
        return CommandRequest.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Caller caller(Exchange exchange) {
        Caller caller = exchange.getProperty(CommandHeaders.CALLER_PROPERTY, Caller.class);
        if (caller != null) {
            return caller;
        }
        String topic = exchange.getIn().getHeader("kafka.TOPIC", String.class);
        String name = topic != null ? "kafka:" + topic : "route:" + exchange.getFromRouteId();
        // Intakes other than REST authenticate on their own side (Kafka ACLs, the route's source)
        return new Caller(name, Set.of(Caller.COMMAND), Set.of(), Map.of());
    }
}
