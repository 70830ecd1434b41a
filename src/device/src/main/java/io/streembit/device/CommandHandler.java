package io.streembit.device;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.concurrent.CompletionStage;

/**
 * Executes the commands a device accepts. The agent calls it only for a command that passed every
 * check (signed by a controller, not expired, not seen before, action and input valid by the Thing
 * Description), on a worker thread, so it may block; it may also return a stage that completes
 * later. Whatever happens becomes a {@code $command-result} reading: the stage's value is the
 * {@code ok} output ({@code null} for an action without output, checked against the action's
 * {@code output} schema), an exception (thrown, or a failed stage) or no answer within the
 * command timeout is an {@code error} result carrying the message. Never silence.
 */
@FunctionalInterface
public interface CommandHandler {
    CompletionStage<JsonNode> execute(String action, JsonNode input) throws Exception;

    /** A handler for a device without actions: every command it gets fails with an error result. */
    static CommandHandler none() {
        return (action, input) -> {
            throw new UnsupportedOperationException("this device has no command handler");
        };
    }
}
