package io.streembit.gateway.camel;

import io.streembit.gateway.commands.CommandJson;
import io.streembit.gateway.commands.ResultOutbox;
import io.streembit.gateway.commands.StoredCommand;
import io.streembit.protocol.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * {@code streembit:command-results}: one exchange per closed command (body: the result message,
 * schemas/command-result-message.schema.json; headers: {@link CommandHeaders}), taken from the
 * results outbox. The command counts as dispatched when the route completed without an
 * exception: delivered, or dead-lettered by the route (then the detail says so).
 */
final class CommandResultsConsumer extends DefaultConsumer implements ResultOutbox.Dispatch {
    private final ResultOutbox outbox;
    private final Executor executor;

    CommandResultsConsumer(StreembitEndpoint endpoint, Processor processor, ResultOutbox outbox, Executor executor) {
        super(endpoint, processor);
        this.outbox = outbox;
        this.executor = executor;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        outbox.attach(this);
    }

    @Override
    protected void doStop() throws Exception {
        outbox.attach(null);
        super.doStop();
    }

    @Override
    public CompletionStage<String> send(StoredCommand command) {
        CompletableFuture<String> done = new CompletableFuture<>();
        executor.execute(() -> {
            Exchange exchange = createExchange(false);
            exchange.getIn().setBody(Json.text(CommandJson.result(command)));
            exchange.getIn().setHeaders(headers(command));
            try {
                getAsyncProcessor().process(exchange, doneSync -> {
                    Throwable failure = exchange.getException();
                    Throwable handled = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
                    releaseExchange(exchange, false);
                    if (failure != null) {
                        done.completeExceptionally(failure);
                    } else {
                        done.complete(handled != null ? "dead-lettered: " + handled.getMessage() : "sent");
                    }
                });
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    static Map<String, Object> headers(StoredCommand command) {
        Map<String, Object> headers = new HashMap<>();
        headers.put(CommandHeaders.DEVICE, command.deviceId());
        headers.put(CommandHeaders.COMMAND_ID, command.id());
        headers.put(CommandHeaders.STATUS, command.status().name());
        if (command.correlationId() != null) {
            headers.put(CommandHeaders.CORRELATION_ID, command.correlationId());
        }
        if (command.callbackUrl() != null) {
            headers.put(CommandHeaders.CALLBACK_URL, command.callbackUrl());
        }
        headers.put(Exchange.CONTENT_TYPE, "application/json");
        return headers;
    }
}
