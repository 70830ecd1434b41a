package io.streembit.gateway.bench;

import java.util.ArrayList;
import java.util.List;

/** The lines of the gateway's Prometheus scrape that explain ingest and command figures (no per-device series). */
final class Metrics {
    private static final List<String> PREFIXES = List.of(
            "streembit_ingest_",
            "streembit_sink_",
            "streembit_commands_",
            "streembit_dht_rpc_served",
            "streembit_dht_rpc_sent_seconds_count",
            "streembit_dht_lookup_seconds_count",
            "streembit_dht_lookup_seconds_sum",
            "streembit_dht_rejected",
            "agroal_active_count",
            "agroal_awaiting_count",
            "jvm_gc_pause_seconds_sum",
            "jvm_gc_pause_seconds_count",
            "process_cpu_usage");
    private static final int MAX_LINES = 80;

    private Metrics() {}

    static List<String> relevant(String scrape) {
        List<String> out = new ArrayList<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("#") || line.contains("device=\"")) {
                continue;
            }
            for (String p : PREFIXES) {
                if (line.startsWith(p)) {
                    out.add(line);
                    break;
                }
            }
            if (out.size() >= MAX_LINES) {
                out.add("... (more lines left out)");
                break;
            }
        }
        return out;
    }
}
