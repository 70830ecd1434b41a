package io.streembit.gateway.camel;

/**
 * The headers of a telemetry exchange. They travel as Kafka record headers and HTTP request
 * headers too (schemas/telemetry-headers.schema.json), so every value is a string.
 */
public final class TelemetryHeaders {
    /** The device id: its account, SHA-1 of its public key (40 hex). Kafka key too. */
    public static final String DEVICE = "Streembit-Device";
    /** The device's account; today the same value as the device id, kept for consumers keyed by account. */
    public static final String ACCOUNT = "Streembit-Account";
    /** The feed entry number n; with the device id, the batch's unique key (consumers dedupe on it). */
    public static final String SEQ = "Streembit-Seq";
    /** When the gateway verified the batch, epoch milliseconds. */
    public static final String RECEIVED_AT = "Streembit-Received-At";
    /** The id of the Thing Description the readings were validated against. */
    public static final String TD = "Streembit-Td";
    /** Number of readings in the batch. */
    public static final String READINGS = "Streembit-Readings";

    /** Exchange property holding the {@link io.streembit.gateway.ingest.VerifiedBatch} itself. */
    public static final String BATCH_PROPERTY = "streembit.batch";
    /** Exchange property set once a route committed the cursor (the readings sink does). */
    public static final String CURSOR_COMMITTED_PROPERTY = "streembit.cursorCommitted";

    private TelemetryHeaders() {}
}
