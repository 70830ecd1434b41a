package io.streembit.gateway.commands;

import java.time.Instant;

/** One state change of a command (the audit trail, table {@code command_events}). */
public record CommandEvent(String status, String detail, Instant at) {
    /** The result was sent to the callback and the results topic (or dead-lettered there). */
    public static final String DISPATCHED = "DISPATCHED";
    /** A result came for a command that was already closed (expired first, or a duplicate). */
    public static final String LATE_RESULT = "LATE-RESULT";
}
