package io.streembit.device;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link DeviceStats}; updated from the agent's threads, read from any. */
final class DeviceCounters {
    final AtomicLong readingsPublished = new AtomicLong();
    final AtomicLong entriesSealed = new AtomicLong();
    final AtomicLong entriesSent = new AtomicLong();
    final AtomicLong entriesRepublished = new AtomicLong();
    final AtomicLong sendFailures = new AtomicLong();
    final AtomicLong droppedEntries = new AtomicLong();
    final AtomicLong expiredEntries = new AtomicLong();
    final AtomicLong bufferFullRejections = new AtomicLong();
    final AtomicLong commandsReceived = new AtomicLong();
    final AtomicLong commandsOk = new AtomicLong();
    final AtomicLong commandsFailed = new AtomicLong();
    final AtomicLong commandsRejected = new AtomicLong();
    final AtomicLong commandEntriesSkipped = new AtomicLong();
    private final Map<String, LongAdder> commandsIgnored = new ConcurrentHashMap<>();

    void ignored(String code) {
        commandsIgnored.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    DeviceStats snapshot(FeedBuffer buffer) {
        Map<String, Long> ignored = new TreeMap<>();
        commandsIgnored.forEach((code, count) -> ignored.put(code, count.sum()));
        return new DeviceStats(
                readingsPublished.get(),
                entriesSealed.get(),
                buffer.lastN(),
                entriesSent.get(),
                entriesRepublished.get(),
                sendFailures.get(),
                buffer.acked(),
                buffer.size(),
                droppedEntries.get(),
                expiredEntries.get(),
                bufferFullRejections.get(),
                commandsReceived.get(),
                commandsOk.get(),
                commandsFailed.get(),
                commandsRejected.get(),
                ignored,
                commandEntriesSkipped.get());
    }
}
