package io.streembit.protocol.td;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.feed.CommandResult;

/**
 * The reserved reading {@code $command-result} that a device publishes after executing (or
 * refusing) a command. Its structure is {@link CommandResult}'s, checked by its own parser so
 * there is one definition; a structural fault is reported here as a schema violation, like
 * any other reading that does not fit the Thing Description. The output is checked against
 * the action's schema by whoever knows which action the command id stands for.
 */
final class CommandResultReading {
    static final String NAME = CommandResult.READING_NAME;

    private CommandResultReading() {}

    static void validate(JsonNode value) throws ProtocolException {
        try {
            CommandResult.fromJson(value);
        } catch (ProtocolException e) {
            throw new ProtocolException(ErrorCode.SCHEMA_VIOLATION, "/" + NAME + ": " + e.getMessage(), e);
        }
    }
}
