package io.streembit.gateway.bench;

import io.streembit.dht.PutResult;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Phase A's set-up: stores entries 1..M of every device into the DHT before the gateway follows
 * them (the devices are not registered yet, so nobody is notified). Seq-major order with at most
 * {@value #IN_FLIGHT} appends in flight; every append must reach its storing node.
 */
final class Backlog {
    static final int IN_FLIGHT = 256;

    record Result(long stored, long failed, Map<String, Long> errors, Duration took) {}

    private Backlog() {}

    static Result store(List<BenchDevice> devices, int perDevice, Duration timeout) throws InterruptedException {
        Semaphore permits = new Semaphore(IN_FLIGHT);
        AtomicLong stored = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Map<String, Long> errors = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        for (int n = 1; n <= perDevice; n++) {
            for (BenchDevice d : devices) {
                if (!permits.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    throw new IllegalStateException(
                            "storing the backlog took longer than " + timeout.toSeconds() + " s");
                }
                d.writer.append(d.tokens[n - 1]).onComplete(ar -> {
                    if (ar.succeeded() && ar.result().stored() > 0) {
                        stored.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        String why = ar.failed()
                                ? ar.cause().getClass().getSimpleName() + ": "
                                        + ar.cause().getMessage()
                                : describe(ar.result());
                        errors.merge(why, 1L, Long::sum);
                    }
                    permits.release();
                });
            }
        }
        if (!permits.tryAcquire(IN_FLIGHT, Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("storing the backlog took longer than " + timeout.toSeconds() + " s");
        }
        return new Result(stored.get(), failed.get(), Map.copyOf(errors), Duration.ofNanos(System.nanoTime() - start));
    }

    static String describe(PutResult r) {
        return "stored on " + r.stored() + " nodes, errors " + r.errors();
    }
}
