package io.streembit.dht.sim;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The benchmark's Markdown report: one row per network, one per churn run. */
final class BenchReport {
    /** @param warm the same lookups with every connection already open (simulation only), or null */
    record Row(String network, int n, LookupStats stats, LookupStats warm, double meanTable, double buildSeconds) {}

    record ChurnRow(int n, int live, LookupStats stats) {}

    private final DhtSim.Settings settings;
    private final LatencyModel latency;
    private final List<Row> rows = new ArrayList<>();
    private final List<ChurnRow> churn = new ArrayList<>();

    BenchReport(DhtSim.Settings settings, LatencyModel latency) {
        this.settings = settings;
        this.latency = latency;
    }

    void add(Row row) {
        rows.add(row);
    }

    void addChurn(ChurnRow row) {
        churn.add(row);
    }

    String markdown(String args, LocalDate date) {
        StringBuilder md = new StringBuilder();
        md.append("## DHT lookups (src/dht)\n\n");
        md.append(f(
                "Command: `bin/dht-sim%s` on %s, Java %s, %d cores; %d lookups per network of random ids "
                        + "from random nodes; k = %d, alpha = %d; seed %d.%n%n",
                args.isEmpty() ? "" : " " + args,
                date,
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                settings.lookups(),
                SimNetwork.K,
                SimNetwork.ALPHA,
                settings.seed()));
        md.append("Simulated latency model: ").append(latency.describe()).append(".\n\n");
        md.append("| network | N | log2 N | hops mean | hops p50 / p90 / p99 / max | queries per lookup "
                + "| latency p50 / p90 / p99 (ms) | warm connections p50 / p99 (ms) | true closest found "
                + "| true k closest | table size | build (s) |\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (Row r : rows) {
            LookupStats s = r.stats;
            md.append(f(
                    "| %s | %,d | %.1f | %.2f | %d / %d / %d / %d | %.1f | %.0f / %.0f / %.0f | %s | %s | %s "
                            + "| %.0f | %.1f |%n",
                    r.network,
                    r.n,
                    LookupStats.log2(r.n),
                    s.meanHops(),
                    s.hopsP50(),
                    s.hopsP90(),
                    s.hopsP99(),
                    s.hopsMax(),
                    s.meanQueries(),
                    s.latencyP50(),
                    s.latencyP90(),
                    s.latencyP99(),
                    r.warm == null ? "-" : f("%.0f / %.0f", r.warm.latencyP50(), r.warm.latencyP99()),
                    percent(s.closestFound()),
                    percent(s.kExact()),
                    r.meanTable,
                    r.buildSeconds));
        }
        if (!churn.isEmpty()) {
            md.append(f(
                    "%n### Churn: %.0f%% of the simulated nodes fail at once, unannounced%n%n",
                    settings.churn() * 100));
            md.append("| N | live nodes | true closest live node found | true k closest live | hops mean / p99 "
                    + "| queries per lookup | timeouts per lookup | latency p50 / p90 / p99 (ms) |\n");
            md.append("|--:|--:|--:|--:|--:|--:|--:|--:|\n");
            for (ChurnRow c : churn) {
                LookupStats s = c.stats;
                md.append(f(
                        "| %,d | %,d | %s | %s | %.2f / %d | %.1f | %.1f | %.0f / %.0f / %.0f |%n",
                        c.n,
                        c.live,
                        percent(s.closestFound()),
                        percent(s.kExact()),
                        s.meanHops(),
                        s.hopsP99(),
                        s.meanQueries(),
                        s.meanFailures(),
                        s.latencyP50(),
                        s.latencyP90(),
                        s.latencyP99()));
            }
        }
        return md.toString();
    }

    private static String percent(double fraction) {
        return f("%.1f%%", fraction * 100);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
