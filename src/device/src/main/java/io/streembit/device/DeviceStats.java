package io.streembit.device;

import java.util.Map;

/**
 * A snapshot of what a device agent has done since it started (the buffer figures are current).
 *
 * @param readingsPublished   readings sealed into feed entries
 * @param entriesSealed       feed entries sealed and buffered
 * @param lastN               the feed's last entry
 * @param entriesSent         entries stored on at least one other node (first sendings)
 * @param entriesRepublished  re-sendings of unacknowledged entries
 * @param sendFailures        sendings that reached no other node (kept, retried)
 * @param ackedN              the gateway's ack watermark
 * @param bufferedEntries     entries waiting for an ack
 * @param droppedEntries      entries dropped unacknowledged by {@link BufferFullPolicy#DROP_OLDEST}
 * @param expiredEntries      entries released unacknowledged because their lifetime ended
 * @param bufferFullRejections readings refused with {@link BufferFullException}
 * @param commandsReceived    command records delivered from the controllers' queues
 * @param commandsOk          commands executed with an ok result
 * @param commandsFailed      commands executed with an error result (exception, timeout, bad output)
 * @param commandsRejected    commands answered {@code rejected} (expired, duplicate, invalid)
 * @param commandsIgnored     command records not answered because their id cannot be trusted,
 *                            by protocol error code (not-allowed, decrypt-failed, author-mismatch, malformed)
 * @param commandEntriesSkipped command queue positions skipped because the entries were gone (expired)
 */
public record DeviceStats(
        long readingsPublished,
        long entriesSealed,
        long lastN,
        long entriesSent,
        long entriesRepublished,
        long sendFailures,
        long ackedN,
        int bufferedEntries,
        long droppedEntries,
        long expiredEntries,
        long bufferFullRejections,
        long commandsReceived,
        long commandsOk,
        long commandsFailed,
        long commandsRejected,
        Map<String, Long> commandsIgnored,
        long commandEntriesSkipped) {
    public DeviceStats {
        commandsIgnored = Map.copyOf(commandsIgnored);
    }

    /** Command records not answered, all codes together. */
    public long commandsIgnoredTotal() {
        return commandsIgnored.values().stream().mapToLong(Long::longValue).sum();
    }
}
