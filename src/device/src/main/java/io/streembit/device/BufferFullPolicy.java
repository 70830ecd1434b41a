package io.streembit.device;

/** What a device does with a new batch when its feed buffer holds {@code bufferCapacity} unacknowledged entries. */
public enum BufferFullPolicy {
    /**
     * The batch waits, up to {@code bufferFullWait}, for an ack to free space; if none comes, the
     * publish futures of its readings fail with {@link BufferFullException} and the readings are
     * not sealed (no feed entry, so no gap in the chain). Nothing already buffered is lost.
     */
    BLOCK,
    /**
     * The oldest unacknowledged entry is dropped from the buffer (no longer republished; if it was
     * never stored in the network the gateway sees a gap) and counted in
     * {@link DeviceStats#droppedEntries()}; the new batch is sealed at once.
     */
    DROP_OLDEST
}
