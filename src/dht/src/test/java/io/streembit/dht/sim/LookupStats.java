package io.streembit.dht.sim;

import java.util.Arrays;
import java.util.List;

/** Percentiles and means over a batch of lookups (nearest-rank percentiles). */
record LookupStats(
        int lookups,
        double meanHops,
        int hopsP50,
        int hopsP90,
        int hopsP99,
        int hopsMax,
        double meanQueries,
        double latencyP50,
        double latencyP90,
        double latencyP99,
        double latencyMax,
        double meanFailures,
        double closestFound,
        double kExact) {

    static LookupStats of(List<LookupSample> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        int n = samples.size();
        int[] hops = samples.stream().mapToInt(LookupSample::hops).sorted().toArray();
        double[] latency = samples.stream()
                .mapToDouble(LookupSample::latencyMillis)
                .sorted()
                .toArray();
        return new LookupStats(
                n,
                Arrays.stream(hops).average().orElse(0),
                hops[rank(n, 50)],
                hops[rank(n, 90)],
                hops[rank(n, 99)],
                hops[n - 1],
                samples.stream().mapToInt(LookupSample::queries).average().orElse(0),
                latency[rank(n, 50)],
                latency[rank(n, 90)],
                latency[rank(n, 99)],
                latency[n - 1],
                samples.stream().mapToInt(LookupSample::failures).average().orElse(0),
                (double) samples.stream().filter(LookupSample::closestFound).count() / n,
                (double) samples.stream().filter(LookupSample::kExact).count() / n);
    }

    /** Index of the p-th percentile by the nearest-rank method. */
    static int rank(int n, int p) {
        return Math.max(0, (int) Math.ceil(p / 100.0 * n) - 1);
    }

    static double log2(int n) {
        return Math.log(n) / Math.log(2);
    }
}
