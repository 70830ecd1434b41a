package io.streembit.protocol.record;

/** What a storing node does with a record that {@link RecordStorePolicy} accepts. */
public enum StoreDecision {
    /** New content: store it (replacing a slot's value, or adding a log entry) and notify subscribers. */
    STORE,
    /** Byte-identical to what is stored: answer success, change nothing, notify nobody. */
    IDEMPOTENT
}
