package io.streembit.gateway.camel;

import io.streembit.gateway.commands.StoredCommand;

import java.util.Map;

/** The headers {@code streembit:command-results} puts on a command's result message, for tests outside this package. */
public final class TestResultHeaders {
    private TestResultHeaders() {}

    public static Map<String, Object> of(StoredCommand command) {
        return CommandResultsConsumer.headers(command);
    }
}
