package io.streembit.gateway.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Phase A's measurement: committed batches sampled every {@value #INTERVAL_MS} ms until the
 * backlog is in or the deadline passes. The steady rate leaves out the ramp-up (registration,
 * subscriptions, first pages) and the tail (the last devices finishing): it is taken from the
 * later of the last registration and 10 % of the backlog, to 90 % of it.
 */
final class Throughput {
    static final long INTERVAL_MS = 500;

    /** Committed batches at a time (ms since the phase started). */
    record Point(long millis, long batches) {}

    /** Rates in batches/s; window bounds in ms since the phase started. */
    record Summary(
            boolean complete,
            long committed,
            long expected,
            long totalMillis,
            long windowFrom,
            long windowTo,
            double steadyRate,
            double overallRate,
            List<double[]> timeline) {}

    interface Counter {
        long committed() throws Exception;
    }

    private final List<Point> points = new ArrayList<>();

    List<Point> points() {
        return points;
    }

    /** Samples until {@code expected} batches are committed or {@code timeoutMillis} pass; returns the last count. */
    long run(Counter counter, long startNanos, long baseline, long expected, long timeoutMillis) throws Exception {
        long committed = 0;
        while (true) {
            long now = (System.nanoTime() - startNanos) / 1_000_000;
            committed = counter.committed() - baseline;
            points.add(new Point(now, committed));
            if (committed >= expected || now >= timeoutMillis) {
                return committed;
            }
            long next = (now / INTERVAL_MS + 1) * INTERVAL_MS;
            Thread.sleep(Math.max(1, next - (System.nanoTime() - startNanos) / 1_000_000));
        }
    }

    Summary summarize(long expected, long readyAtMillis) {
        Point last = points.get(points.size() - 1);
        boolean complete = last.batches() >= expected;
        Point to = complete ? firstAtLeast(expected * 9 / 10) : last;
        Point from = first(Math.max(1, expected / 10), readyAtMillis);
        if (from == null || to == null || from.millis() >= to.millis()) {
            from = firstAtLeast(Math.max(1, expected / 10)); // registration outlasted the drain: from 10 %
        }
        double steady = Double.NaN;
        if (from != null && to != null && to.millis() > from.millis()) {
            steady = (to.batches() - from.batches()) * 1000.0 / (to.millis() - from.millis());
        }
        Point done = complete ? firstAtLeast(expected) : last;
        double overall = done.millis() > 0 ? done.batches() * 1000.0 / done.millis() : Double.NaN;
        return new Summary(
                complete,
                last.batches(),
                expected,
                done.millis(),
                from == null ? -1 : from.millis(),
                to == null ? -1 : to.millis(),
                steady,
                overall,
                timeline(5_000));
    }

    /** The first point with at least {@code batches}, not before {@code notBefore} ms. */
    private Point first(long batches, long notBefore) {
        for (Point p : points) {
            if (p.batches() >= batches && p.millis() >= notBefore) {
                return p;
            }
        }
        return null;
    }

    private Point firstAtLeast(long batches) {
        return first(batches, 0);
    }

    /** {seconds at the end of the slice, batches/s in it} per {@code sliceMillis}. */
    private List<double[]> timeline(long sliceMillis) {
        List<double[]> out = new ArrayList<>();
        Point prev = points.get(0);
        for (Point p : points) {
            if (p.millis() - prev.millis() >= sliceMillis || p == points.get(points.size() - 1) && p != prev) {
                out.add(new double[] {
                    p.millis() / 1000.0, (p.batches() - prev.batches()) * 1000.0 / (p.millis() - prev.millis())
                });
                prev = p;
            }
        }
        return out;
    }
}
