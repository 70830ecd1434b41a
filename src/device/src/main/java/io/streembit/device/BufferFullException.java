package io.streembit.device;

/**
 * A batch could not be buffered: the feed buffer stayed full (policy {@link BufferFullPolicy#BLOCK})
 * for the whole {@code bufferFullWait}, because the gateway acknowledged nothing in that time.
 * The readings of that batch were not published; the caller may retry them later.
 */
public final class BufferFullException extends RuntimeException {
    private final int capacity;

    public BufferFullException(int capacity, long waitedMillis) {
        super("feed buffer full: " + capacity + " unacknowledged entries, no ack within " + waitedMillis + " ms");
        this.capacity = capacity;
    }

    public int capacity() {
        return capacity;
    }
}
