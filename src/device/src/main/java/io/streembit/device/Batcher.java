package io.streembit.device;

import io.streembit.protocol.Json;
import io.streembit.protocol.feed.Reading;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Gathers readings into batches, one feed entry each. A batch closes when it holds
 * {@code maxReadings} readings, when its first reading has waited {@code maxDelay}, when one
 * more reading would make the entry too large for a record ({@link #MAX_ENTRY_BYTES}), or on
 * {@link #flush()}. Runs on the agent's context only.
 */
final class Batcher {
    /**
     * The largest feed entry plaintext a batch may make. Encryption and the record's two base64url
     * layers grow it about 1.8 times, plus about 1 KB of headers: 8,000 bytes seal to under the
     * network's 16 KiB record limit ({@code BatcherTest} checks the worst case).
     */
    static final int MAX_ENTRY_BYTES = 8000;
    /** {@code {"n":<19 digits>,"prev":"<43>","readings":[]}} and a margin. */
    static final int ENTRY_OVERHEAD_BYTES = 100;

    /** A closed batch and the promises to complete with its entry's n. */
    record Batch(List<Reading> readings, List<Promise<Long>> promises) {}

    private final Vertx vertx;
    private final int maxReadings;
    private final long maxDelayMillis;
    private final Consumer<Batch> sink;
    private List<Reading> readings = new ArrayList<>();
    private List<Promise<Long>> promises = new ArrayList<>();
    private int bytes = ENTRY_OVERHEAD_BYTES;
    private long timer = -1;

    Batcher(Vertx vertx, int maxReadings, Duration maxDelay, Consumer<Batch> sink) {
        this.vertx = vertx;
        this.maxReadings = maxReadings;
        this.maxDelayMillis = maxDelay.toMillis();
        this.sink = sink;
    }

    /** The entry bytes a reading adds: its JSON and a separating comma. */
    static int size(Reading reading) {
        return Json.bytes(reading.toJson()).length + 1;
    }

    /**
     * Adds one publish call's readings (each already checked to fit an entry alone); completes
     * with the n of the last entry that carries one of them.
     */
    Future<Long> add(List<Reading> batch, int[] sizes) {
        List<Future<Long>> parts = new ArrayList<>();
        Promise<Long> part = null;
        for (int i = 0; i < batch.size(); i++) {
            if (readings.size() + 1 > maxReadings || bytes + sizes[i] > MAX_ENTRY_BYTES) {
                close();
                part = null;
            }
            if (part == null) {
                part = Promise.promise();
                promises.add(part);
                parts.add(part.future());
            }
            if (readings.isEmpty()) {
                timer = vertx.setTimer(maxDelayMillis, t -> {
                    timer = -1;
                    close();
                });
            }
            readings.add(batch.get(i));
            bytes += sizes[i];
            if (readings.size() >= maxReadings) {
                close();
                part = null;
            }
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return Future.all(parts).map(all -> all.<Long>resultAt(parts.size() - 1));
    }

    /** Closes the open batch now, if it has readings. */
    void flush() {
        close();
    }

    int pending() {
        return readings.size();
    }

    /** Fails the open batch's promises (the agent is stopping without a flush). */
    void abandon(Throwable cause) {
        cancelTimer();
        List<Promise<Long>> failed = promises;
        readings = new ArrayList<>();
        promises = new ArrayList<>();
        bytes = ENTRY_OVERHEAD_BYTES;
        failed.forEach(p -> p.tryFail(cause));
    }

    private void close() {
        cancelTimer();
        if (readings.isEmpty()) {
            return;
        }
        Batch batch = new Batch(List.copyOf(readings), promises);
        readings = new ArrayList<>();
        promises = new ArrayList<>();
        bytes = ENTRY_OVERHEAD_BYTES;
        sink.accept(batch);
    }

    private void cancelTimer() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
