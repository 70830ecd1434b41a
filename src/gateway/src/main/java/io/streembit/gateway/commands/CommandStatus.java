package io.streembit.gateway.commands;

/** Where a command is in its life: QUEUED → PUBLISHED → SUCCEEDED | FAILED | REJECTED, or EXPIRED. */
public enum CommandStatus {
    /** Stored, with its queue position and sealed record, not yet stored in the DHT. */
    QUEUED,
    /** Stored in the DHT as the next entry of the device's command queue. */
    PUBLISHED,
    /** The device ran it; its output is kept. */
    SUCCEEDED,
    /** The device ran it and its handler failed; the error is kept. */
    FAILED,
    /** The device refused it (unknown action, invalid input, expired on arrival, duplicate...). */
    REJECTED,
    /** No result came before the timeout. */
    EXPIRED;

    public boolean isFinal() {
        return this != QUEUED && this != PUBLISHED;
    }
}
