package io.streembit.gateway.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Phase B's load: appends pre-sealed entries at a fixed aggregate rate, round-robin over the
 * devices (device k mod N, its next entry), paced against the clock from the start so a late
 * tick catches up rather than lowering the rate. Each entry's publish time is taken just before
 * its append and its store acknowledgement when the storing node answers. If more than
 * {@value #MAX_IN_FLIGHT} appends are unanswered the publisher waits (and the achieved rate
 * shows it); it stops at {@code 2 x} the planned time whatever happened.
 */
final class LivePublisher {
    static final int MAX_IN_FLIGHT = 4096;

    record Result(long published, long acked, long failed, Map<String, Long> errors, double seconds, double rate) {}

    private LivePublisher() {}

    /** Publishes entries {@code firstSeq .. firstSeq + perDevice - 1} of every device at {@code rate} per second. */
    static Result run(List<BenchDevice> devices, long firstSeq, int perDevice, int rate) throws InterruptedException {
        int n = devices.size();
        long total = (long) n * perDevice;
        AtomicLong inFlight = new AtomicLong();
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Map<String, Long> errors = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        long hardStop = start + (long) (2e9 * total / rate) + 5_000_000_000L;
        long k = 0;
        long firstMicros = 0;
        long lastMicros = 0;
        while (k < total && System.nanoTime() < hardStop) {
            long due = Math.min(total, (long) ((System.nanoTime() - start) * (double) rate / 1e9) + 1);
            while (k < due && inFlight.get() < MAX_IN_FLIGHT) {
                BenchDevice d = devices.get((int) (k % n));
                int index = (int) (firstSeq - 1 + k / n);
                long now = WallClock.micros();
                if (firstMicros == 0) {
                    firstMicros = now;
                }
                lastMicros = now;
                d.published[index] = now;
                inFlight.incrementAndGet();
                d.writer.append(d.tokens[index]).onComplete(ar -> {
                    if (ar.succeeded() && ar.result().stored() > 0) {
                        d.acked[index] = WallClock.micros();
                        acked.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        errors.merge(
                                ar.failed()
                                        ? ar.cause().getClass().getSimpleName() + ": "
                                                + ar.cause().getMessage()
                                        : Backlog.describe(ar.result()),
                                1L,
                                Long::sum);
                    }
                    inFlight.decrementAndGet();
                });
                k++;
            }
            LockSupport.parkNanos(1_000_000);
        }
        long wait = System.nanoTime() + 30_000_000_000L;
        while (inFlight.get() > 0 && System.nanoTime() < wait) {
            Thread.sleep(10);
        }
        double seconds = (lastMicros - firstMicros) / 1e6;
        return new Result(
                k,
                acked.get(),
                failed.get(),
                Map.copyOf(errors),
                seconds,
                seconds > 0 ? (k - 1) / seconds : Double.NaN);
    }
}
