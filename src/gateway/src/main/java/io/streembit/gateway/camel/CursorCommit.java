package io.streembit.gateway.camel;

/**
 * Who commits a device's cursor once its batch went through the telemetry route. Decided once,
 * when the routes have started ({@link CursorCommitChooser}), from whether any route writes
 * readings; never changed while the gateway runs.
 */
public enum CursorCommit {
    /**
     * {@code streembit:readings} commits the cursor in the transaction of the readings it covers;
     * an exchange that completes without reaching it is tried again.
     */
    READINGS_SINK,
    /** No route writes readings: the gateway commits the cursor once the telemetry exchange completed. */
    AFTER_ROUTE
}
