package io.streembit.gateway.camel;

/**
 * The headers of command exchanges: the intake's ({@code streembit:commands}) and the result
 * messages' ({@code streembit:command-results}, schemas/command-result-headers.schema.json).
 * They travel as Kafka and HTTP headers, so every value is a string.
 */
public final class CommandHeaders {
    /** The addressed device (intake: set by the REST route from the path; result: the device). */
    public static final String DEVICE = TelemetryHeaders.DEVICE;
    /** The command's id. */
    public static final String COMMAND_ID = "Streembit-Command-Id";
    /** The command's status (result: SUCCEEDED, FAILED, REJECTED or EXPIRED). */
    public static final String STATUS = "Streembit-Command-Status";
    /** "true" when the intake created the command, "false" when the correlation id named an earlier one. */
    public static final String CREATED = "Streembit-Command-Created";
    /** The caller's correlation id, when it gave one. */
    public static final String CORRELATION_ID = "Streembit-Correlation-Id";
    /** Where the result is POSTed, when the caller gave a callback. */
    public static final String CALLBACK_URL = "Streembit-Callback-Url";
    /** A refused intake record: the refusal's code (Kafka dead-letter topic). */
    public static final String ERROR = "Streembit-Error";
    /** A refused intake record: the refusal's message. */
    public static final String ERROR_MESSAGE = "Streembit-Error-Message";

    /** Exchange property: the authenticated {@link io.streembit.gateway.security.Caller} (REST intake). */
    public static final String CALLER_PROPERTY = "streembit.caller";

    private CommandHeaders() {}
}
