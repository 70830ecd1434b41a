package io.streembit.gateway.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Publish-to-commit latency of phase B's entries: the {@code stored_at} of the entry's first
 * reading (PostgreSQL's {@code now()}, the start of the committing transaction) minus its
 * publish time. Also from the storing node's acknowledgement, which leaves out the harness's
 * own share (its node verifies the entry before it sends it).
 */
final class Latencies {
    /** Percentiles in ms; {@code windows}: per slice of the phase by publish time. */
    record Summary(long expected, long committed, Stats publishToCommit, Stats ackToCommit, List<Window> windows) {}

    record Stats(long count, double p50, double p90, double p99, double p999, double max) {
        static Stats of(double[] values) {
            if (values.length == 0) {
                return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            Arrays.sort(values);
            return new Stats(
                    values.length,
                    pct(values, 50),
                    pct(values, 90),
                    pct(values, 99),
                    pct(values, 99.9),
                    values[values.length - 1]);
        }
    }

    record Window(double fromSeconds, double toSeconds, long published, long committed, Stats stats) {}

    private Latencies() {}

    /** Nearest-rank percentile of sorted values. */
    static double pct(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static Summary of(
            List<BenchDevice> devices, long firstSeq, int perDevice, Db.Commits commits, double windowSeconds) {
        List<Double> all = new ArrayList<>();
        List<Double> fromAck = new ArrayList<>();
        long first = Long.MAX_VALUE;
        long last = 0;
        for (BenchDevice d : devices) {
            for (long seq = firstSeq; seq < firstSeq + perDevice; seq++) {
                long p = d.published[(int) seq - 1];
                if (p > 0) {
                    first = Math.min(first, p);
                    last = Math.max(last, p);
                }
            }
        }
        // the last publish lands a hair after a whole number of windows: no slice for that instant alone
        int slices = first == Long.MAX_VALUE
                ? 0
                : Math.max(1, (int) Math.ceil(Math.max(1, last - first) / 1e6 / windowSeconds - 0.05));
        List<List<Double>> perSlice = new ArrayList<>();
        long[] publishedPerSlice = new long[Math.max(slices, 1)];
        for (int i = 0; i < Math.max(slices, 1); i++) {
            perSlice.add(new ArrayList<>());
        }
        long expected = 0;
        for (BenchDevice d : devices) {
            for (long seq = firstSeq; seq < firstSeq + perDevice; seq++) {
                long p = d.published[(int) seq - 1];
                if (p == 0) {
                    continue;
                }
                expected++;
                int slice = Math.min(publishedPerSlice.length - 1, (int) ((p - first) / 1e6 / windowSeconds));
                publishedPerSlice[slice]++;
                Long c = commits.micros(d.account(), seq);
                if (c == null) {
                    continue;
                }
                double ms = (c - p) / 1000.0;
                all.add(ms);
                perSlice.get(slice).add(ms);
                long a = d.acked[(int) seq - 1];
                if (a > 0) {
                    fromAck.add((c - a) / 1000.0);
                }
            }
        }
        List<Window> windows = new ArrayList<>();
        for (int i = 0; i < perSlice.size() && slices > 0; i++) {
            windows.add(new Window(
                    i * windowSeconds,
                    Math.min((i + 1) * windowSeconds, (last - first) / 1e6),
                    publishedPerSlice[i],
                    perSlice.get(i).size(),
                    Stats.of(toArray(perSlice.get(i)))));
        }
        return new Summary(expected, all.size(), Stats.of(toArray(all)), Stats.of(toArray(fromAck)), windows);
    }

    private static double[] toArray(List<Double> list) {
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }
}
