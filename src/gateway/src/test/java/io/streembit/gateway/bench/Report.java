package io.streembit.gateway.bench;

import java.util.Locale;

import static io.streembit.gateway.bench.Markdown.ms;
import static io.streembit.gateway.bench.Markdown.props;

/** The run as Markdown: what was run where, the two phases' figures, the gateway's own metrics, JFR hotspots. */
final class Report {
    private final Markdown md = new Markdown();

    private Report() {}

    static String of(Run run) {
        Report r = new Report();
        r.write(run);
        return r.md.text();
    }

    private void write(Run run) {
        BenchOptions o = run.options;
        line("# Gateway ingest benchmark, " + run.started);
        line();
        line("```");
        line(o.command());
        line("```");
        line();
        line("Machine: " + run.machine + "; load average at start " + run.loadAtStart + ". Source: `" + run.source
                + "` (git describe; -dirty: uncommitted changes were built too).");
        if (run.coreSpeedAtStart > 0) {
            line(String.format(
                    Locale.ROOT,
                    "One core's speed (SHA-256 on one thread, the box otherwise quiet; the cores "
                            + "are shared with other virtual machines): %,.0f MB/s before the warm-up, %s after phase A.",
                    run.coreSpeedAtStart,
                    run.coreSpeedAfterDrain > 0
                            ? String.format(Locale.ROOT, "%,.0f MB/s", run.coreSpeedAfterDrain)
                            : "not taken"));
        }
        line();
        line(String.format(
                Locale.ROOT,
                "Set-up: %,d devices (thermostat TD)%s, %d readings per batch, %d harness DHT nodes "
                        + "(log replication 1) + the gateway's; gateway `-Xmx%s%s`%s. PostgreSQL started in %.1f s, DHT in "
                        + "%.1f s, gateway ready in %.1f s; %,d entries sealed in %.1f s (%,.0f/s on %d threads), %,d bytes per record token.",
                o.devices(),
                o.warmupDevices() == 0 ? "" : String.format(Locale.ROOT, " and %,d for the warm-up", o.warmupDevices()),
                o.readingsPerBatch(),
                o.dhtNodes(),
                o.gatewayHeap(),
                o.gatewayJvmOptions().isEmpty() ? "" : " " + String.join(" ", o.gatewayJvmOptions()),
                o.gatewayProps().isEmpty() ? "" : ", " + props(o.gatewayProps()),
                run.postgresMillis / 1e3,
                run.dhtMillis / 1e3,
                run.gatewayReadyMillis / 1e3,
                run.sealedEntries,
                run.sealMillis / 1e3,
                run.sealedEntries * 1e3 / Math.max(1, run.sealMillis),
                Runtime.getRuntime().availableProcessors(),
                run.tokenBytes));
        if (run.postgresSettings != null) {
            line();
            line("PostgreSQL (embedded, zonky): " + run.postgresSettings
                    + " (shared_buffers in 8 kB pages, max_wal_size in MB).");
        }
        if (run.failure != null) {
            line();
            line("**The run failed:** " + run.failure);
        }
        if (run.backlog != null) {
            line();
            Backlog.Result b = run.backlog;
            line(String.format(
                    Locale.ROOT,
                    "Backlog: %,d entries stored in the DHT in %.1f s (%,.0f/s)%s.",
                    b.stored(),
                    b.took().toMillis() / 1e3,
                    b.stored() * 1e3 / Math.max(1, b.took().toMillis()),
                    b.failed() == 0 ? "" : ", " + b.failed() + " failed: " + b.errors()));
        }
        if (run.warmup != null) {
            warmup(run, run.warmup);
        }
        if (run.drain != null && run.drain.throughput != null) {
            drain(run, run.drain);
        }
        for (Run.Live l : run.live) {
            live(run, l);
        }
        if (!run.live.isEmpty()) {
            line();
            line("Latency by " + (int) GatewayBench.WINDOW_SECONDS + " s slice of each run (by publish time):");
            line();
            line("| rate | slice (s) | published | committed | p50 (ms) | p99 (ms) | max (ms) |");
            line("| ---: | --- | ---: | ---: | ---: | ---: | ---: |");
            for (Run.Live l : run.live) {
                if (l.latency == null) {
                    continue;
                }
                for (Latencies.Window w : l.latency.windows()) {
                    line(String.format(
                            Locale.ROOT,
                            "| %,d | %.0f-%.0f | %,d | %,d | %s | %s | %s |",
                            l.rate,
                            w.fromSeconds(),
                            w.toSeconds(),
                            w.published(),
                            w.committed(),
                            ms(w.stats().p50()),
                            ms(w.stats().p99()),
                            ms(w.stats().max())));
                }
            }
        }
        line();
        line("## Checks");
        line();
        line(String.format(
                Locale.ROOT,
                "- %sreadings rows: %,d; distinct (device, seq): %,d; cursors' sum just before: "
                        + "%,d; published: %,d (every committed batch has its %d readings once: %s)",
                run.warmup == null ? "" : "all devices, the warm-up's included: ",
                run.readingRows,
                run.distinctBatches,
                run.cursorSum,
                run.expectedBatches,
                o.readingsPerBatch(),
                run.readingRows == run.distinctBatches * o.readingsPerBatch() && run.distinctBatches >= run.cursorSum
                        ? "yes"
                        : "NO"));
        line(String.format(Locale.ROOT, "- ingest_problems rows: %,d", run.problems));
        if (!run.metrics.isEmpty()) {
            line();
            line("## Gateway metrics at the end (GET /q/metrics)");
            line();
            line("```");
            run.metrics.forEach(this::line);
            line("```");
        }
        if (run.drain != null && run.drain.jfr != null) {
            md.jfr("Phase A", run.drain.jfr);
        }
        for (Run.Live l : run.live) {
            if (l.jfr != null) {
                md.jfr("Phase B at " + l.rate + " batches/s", l.jfr);
            }
        }
    }

    private void warmup(Run run, Run.Warmup w) {
        BenchOptions o = run.options;
        line();
        line("## Warm-up (before phase A, not counted in it)");
        line();
        line(String.format(
                Locale.ROOT,
                "A fresh gateway's JIT compiles for its first minute or so, and phase A measured "
                        + "then would count the compilers' share of the cores against the gateway's throughput. So before "
                        + "the backlog was stored, %,d devices of their own were registered (%d requests at a time, %.1f s) "
                        + "and published live at %,d batches/s in blocks of %d s (%,d entries per device), each waited "
                        + "for until committed, until the gateway's JIT compiler threads took under %.2f of a core over "
                        + "a block, at most %d blocks. These devices stay registered (idle) through phases A and B.",
                o.warmupDevices(),
                GatewayBench.REGISTER_THREADS,
                w.registrationMillis / 1e3,
                o.warmupRate(),
                GatewayBench.WARMUP_BLOCK_SECONDS,
                o.warmupPerBlock(),
                GatewayBench.WARMUP_JIT_QUIET_CORES,
                o.warmupMaxBlocks()));
        if (w.blocks.isEmpty()) {
            return;
        }
        line();
        line(
                "| block | published | achieved rate (batches/s) | acknowledged / failed | committed | JIT compilers (cores) |");
        line("| ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int i = 0; i < w.blocks.size(); i++) {
            Run.WarmupBlock b = w.blocks.get(i);
            LivePublisher.Result p = b.publish();
            line(String.format(
                    Locale.ROOT,
                    "| %d | %,d | %,.0f | %,d / %,d | %,d | %.2f |",
                    i + 1,
                    p.published(),
                    p.rate(),
                    p.acked(),
                    p.failed(),
                    b.committed(),
                    b.jitCores()));
        }
        double last = w.blocks.get(w.blocks.size() - 1).jitCores();
        line();
        line(String.format(
                Locale.ROOT,
                "%d block(s), %.1f s from the first registration to the last block's commits; %s",
                w.blocks.size(),
                w.millis / 1e3,
                last < GatewayBench.WARMUP_JIT_QUIET_CORES
                        ? "phase A ran on a warmed-up gateway (its JIT under "
                                + String.format(Locale.ROOT, "%.2f", GatewayBench.WARMUP_JIT_QUIET_CORES)
                                + " of a core)."
                        : String.format(
                                Locale.ROOT, "**the JIT still took %.2f of a core when phase A began**.", last)));
    }

    private void drain(Run run, Run.Drain d) {
        BenchOptions o = run.options;
        Throughput.Summary t = d.throughput;
        line();
        line("## Phase A: sustained throughput (draining a backlog)");
        line();
        line(String.format(
                Locale.ROOT,
                "%,d entries waited in each of %,d feeds; then the devices were registered (%d "
                        + "requests at a time, all %,d after %.1f s, %,.0f/s) and the gateway followed each from its "
                        + "registration. The clock starts at the first registration; steady: from the later of the last "
                        + "registration and 10 %% of the backlog, to 90 %%.",
                o.batchesPerDevice(),
                o.devices(),
                GatewayBench.REGISTER_THREADS,
                o.devices(),
                d.registrationMillis / 1e3,
                o.devices() * 1e3 / Math.max(1, d.registrationMillis)));
        line();
        line("| figure | value |");
        line("| --- | ---: |");
        line(String.format(
                Locale.ROOT,
                "| batches committed | %,d of %,d%s |",
                t.committed(),
                t.expected(),
                t.complete() ? "" : " (timed out)"));
        line(String.format(
                Locale.ROOT,
                "| steady batches/s (%.1f-%.1f s) | **%,.0f** |",
                t.windowFrom() / 1e3,
                t.windowTo() / 1e3,
                t.steadyRate()));
        line(String.format(Locale.ROOT, "| steady readings/s | **%,.0f** |", t.steadyRate() * o.readingsPerBatch()));
        line(String.format(Locale.ROOT, "| overall batches/s (incl. ramp-up) | %,.0f |", t.overallRate()));
        line(String.format(Locale.ROOT, "| time to commit all | %.1f s |", t.totalMillis() / 1e3));
        md.cpuRows("steady window", d.steadyCpu);
        md.cpuRows("whole phase", d.cpu);
        md.threads(d.gatewayThreads, d.seconds);
        pages(d.pages, t.committed(), run.tokenBytes);
        line();
        StringBuilder tl = new StringBuilder("Committed batches/s per 5 s: ");
        for (int i = 0; i < t.timeline().size(); i++) {
            double[] p = t.timeline().get(i);
            tl.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f s: %,.0f", p[0], p[1]));
        }
        line(tl.append('.').toString());
    }

    private void live(Run run, Run.Live l) {
        line();
        line(String.format(Locale.ROOT, "## Phase B: latency at %,d batches/s", l.rate));
        line();
        LivePublisher.Result p = l.publish;
        Latencies.Summary s = l.latency;
        line("| figure | value |");
        line("| --- | ---: |");
        line(String.format(
                Locale.ROOT,
                "| entries published | %,d in %.1f s (%,d per device, seq %d-%d) |",
                p.published(),
                p.seconds(),
                l.perDevice,
                l.firstSeq,
                l.firstSeq + l.perDevice - 1));
        line(String.format(Locale.ROOT, "| achieved publish rate | %,.0f batches/s (target %,d) |", p.rate(), l.rate));
        line(String.format(
                Locale.ROOT,
                "| store acknowledged / failed | %,d / %,d%s |",
                p.acked(),
                p.failed(),
                p.errors().isEmpty() ? "" : " " + p.errors()));
        if (s != null) {
            line(String.format(
                    Locale.ROOT,
                    "| committed | %,d of %,d (%.1f s after the last publish) |",
                    s.committed(),
                    s.expected(),
                    l.drainMillis / 1e3));
            Latencies.Stats a = s.publishToCommit();
            line(String.format(
                    Locale.ROOT,
                    "| publish to commit p50 / p90 / p99 | **%s / %s / %s ms** |",
                    ms(a.p50()),
                    ms(a.p90()),
                    ms(a.p99())));
            line(String.format(
                    Locale.ROOT, "| publish to commit p99.9 / max | %s / %s ms |", ms(a.p999()), ms(a.max())));
            Latencies.Stats b = s.ackToCommit();
            line(String.format(
                    Locale.ROOT, "| store ack to commit p50 / p99 | %s / %s ms |", ms(b.p50()), ms(b.p99())));
        }
        md.cpuRows("publishing", l.cpu);
        md.threads(l.gatewayThreads, l.cpu == null ? 0 : l.cpu.wallSeconds());
        pages(l.pages, l.committedBatches, run.tokenBytes);
    }

    /** What the storing nodes served the gateway's followers: pages, repeats, entries per committed batch. */
    private void pages(ServedPages.Counts p, long committed, int tokenBytes) {
        if (p == null || committed <= 0) {
            return;
        }
        // FIND_VALUE answers carry at most 64 KiB - 12 KiB of records (dht FindValueHandler)
        long perFrame = Math.max(1, (64 * 1024 - 12 * 1024) / (tokenBytes + 3));
        line(String.format(
                Locale.ROOT,
                "| log pages served by the storing nodes | %,d (%,d asked again from the same seq), "
                        + "%.1f entries each before the frame limit (at most %d fit one answer), %.2f pages per "
                        + "committed batch |",
                p.pages(),
                p.repeated(),
                p.pages() == 0 ? 0.0 : (double) p.entries() / p.pages(),
                perFrame,
                (double) p.pages() / committed));
    }

    private void line(String s) {
        md.line(s);
    }

    private void line() {
        md.line();
    }
}
