package io.streembit.gateway.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.streembit.gateway.bench.Markdown.ms;
import static io.streembit.gateway.bench.Markdown.props;

/** The command benchmark's run as Markdown: set-up, the round trip against the goal, its phases, checks, hotspots. */
final class CommandReport {
    static final double GOAL_P99_MS = 300;
    private static final List<String> OPEN = List.of("QUEUED", "PUBLISHED");

    private final Markdown md = new Markdown();

    private CommandReport() {}

    static String of(CommandRun run) {
        CommandReport r = new CommandReport();
        r.write(run);
        return r.md.text();
    }

    private void write(CommandRun run) {
        CommandBenchOptions o = run.options;
        line("# Gateway command round-trip benchmark, " + run.started);
        line();
        line("```");
        line(o.command());
        line("```");
        line();
        line("Machine: " + run.machine + "; load average at start " + run.loadAtStart + ". Source: `" + run.source
                + "` (git describe; -dirty: uncommitted changes were built too).");
        line();
        line(String.format(
                Locale.ROOT,
                "Set-up: %,d simulated thermostats, each answering `%s` `{\"value\": %s}` with "
                        + "its next feed entry; %d harness DHT nodes (log replication 1) + the gateway's (which stores "
                        + "each command on 5 nodes); gateway `-Xmx%s`%s; callbacks %s; warm-up %d command(s) per "
                        + "device at %,d/s. PostgreSQL started in %.1f s, DHT in %.1f s, gateway ready in %.1f s; "
                        + "device keys drawn in %.1f s, devices registered in %.1f s.",
                o.devices(),
                CommandResponder.ACTION,
                CommandLoad.TARGET,
                o.dhtNodes(),
                o.gatewayHeap(),
                o.gatewayProps().isEmpty() ? "" : ", " + props(o.gatewayProps()),
                o.callbacks() ? "on (every command names the harness's HTTP receiver)" : "off",
                o.warmupPerDevice(),
                o.warmupRate(),
                run.postgresMillis / 1e3,
                run.dhtMillis / 1e3,
                run.gatewayReadyMillis / 1e3,
                run.devicesMillis / 1e3,
                run.registrationMillis / 1e3));
        if (run.postgresSettings != null) {
            line();
            line("PostgreSQL (embedded, zonky): " + run.postgresSettings
                    + " (shared_buffers in 8 kB pages, max_wal_size in MB).");
        }
        if (run.failure != null) {
            line();
            line("**The run failed:** " + run.failure);
        }
        if (!run.measured.isEmpty()) {
            summary(run);
        }
        for (CommandRun.Phase p : run.measured) {
            if (p.latency != null) {
                measured(run, p);
            }
        }
        if (run.warmup != null && run.warmup.latency != null) {
            warmup(run, run.warmup);
        }
        checks(run);
        if (!run.metrics.isEmpty()) {
            line();
            line("## Gateway metrics at the end (GET /q/metrics)");
            line();
            line("```");
            run.metrics.forEach(this::line);
            line("```");
        }
        for (CommandRun.Phase p : run.measured) {
            if (p.jfr != null) {
                md.jfr(String.format(Locale.ROOT, "%,d commands/s", p.rate), p.jfr);
            }
        }
    }

    private void summary(CommandRun run) {
        line();
        line("## Round trip");
        line();
        line("Round trip: from the command's intake (`created_at`, taken when the gateway accepts the POST) to the "
                + "gateway holding the device's verified result (`finished_at`: it opened the feed entry that carries "
                + "it; the status becomes SUCCEEDED in the transaction that commits that entry), both the gateway's "
                + "clock, read from PostgreSQL after the run. Portal: the harness's own clock from sending the POST to "
                + "receiving the result at its callback URL.");
        line();
        line("| rate | achieved | commands closed | round trip p50 / p90 / p99 (ms) | p99.9 / max (ms) | p99 under "
                + (int) GOAL_P99_MS + " ms | portal p50 / p99 (ms) | cores: gateway / harness / PostgreSQL / other |");
        line("| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |");
        for (CommandRun.Phase p : run.measured) {
            if (p.latency == null) {
                continue;
            }
            Latencies.Stats rt = p.latency.roundTrip();
            Latencies.Stats c = p.latency.client();
            CpuClock.Sample cpu = p.cpu;
            double w = cpu == null ? 0 : cpu.wallSeconds();
            line(String.format(
                    Locale.ROOT,
                    "| %,d | %,.0f | %,d of %,d | **%s / %s / %s** | %s / %s | %s | %s / %s | %s |",
                    p.rate,
                    p.load.rate(),
                    rt.count(),
                    p.load.accepted(),
                    ms(rt.p50()),
                    ms(rt.p90()),
                    ms(rt.p99()),
                    ms(rt.p999()),
                    ms(rt.max()),
                    verdict(rt, p.load.accepted()),
                    ms(c.p50()),
                    ms(c.p99()),
                    w <= 0
                            ? "-"
                            : String.format(
                                    Locale.ROOT,
                                    "%.2f / %.2f / %.2f / %.2f",
                                    cpu.gateway() / w,
                                    cpu.harness() / w,
                                    cpu.postgres() / w,
                                    cpu.other() / w)));
        }
    }

    private void measured(CommandRun run, CommandRun.Phase p) {
        CommandBenchOptions o = run.options;
        CommandLoad.Result l = p.load;
        CommandLatencies.Summary s = p.latency;
        Latencies.Stats rt = s.roundTrip();
        line();
        line(String.format(Locale.ROOT, "## At %,d commands/s", p.rate));
        line();
        line("| figure | value |");
        line("| --- | ---: |");
        line(String.format(
                Locale.ROOT,
                "| commands sent | %,d in %.1f s, round-robin over %,d devices (%s per device), "
                        + "at most %d POSTs unanswered |",
                l.sent(),
                l.seconds(),
                o.devices(),
                perDevice(l.sent(), o.devices()),
                o.concurrency()));
        line(String.format(Locale.ROOT, "| achieved rate | %,.0f commands/s (target %,d) |", l.rate(), p.rate));
        line(String.format(
                Locale.ROOT,
                "| accepted (202) / failed | %,d / %,d%s |",
                l.accepted(),
                l.failed(),
                l.errors().isEmpty() ? "" : " " + l.errors()));
        line(String.format(
                Locale.ROOT,
                "| closed%s | %s %.1f s after the last POST was answered |",
                o.callbacks() ? " and called back" : "",
                p.drained ? "all" : "**NOT all**",
                p.drainMillis / 1e3));
        line("| accepted commands by status | " + statuses(s.statuses()) + " |");
        line(String.format(
                Locale.ROOT,
                "| **round trip p50 / p90 / p99** | **%s / %s / %s ms** |",
                ms(rt.p50()),
                ms(rt.p90()),
                ms(rt.p99())));
        line(String.format(
                Locale.ROOT,
                "| round trip p99.9 / max | %s / %s ms (%,d commands) |",
                ms(rt.p999()),
                ms(rt.max()),
                rt.count()));
        line(String.format(Locale.ROOT, "| goal: p99 under %.0f ms | %s |", GOAL_P99_MS, verdict(rt, l.accepted())));
        Latencies.Stats c = s.client();
        if (c.count() > 0) {
            line(String.format(
                    Locale.ROOT,
                    "| portal: POST sent to callback received p50 / p99 / max | %s / %s / %s ms |",
                    ms(c.p50()),
                    ms(c.p99()),
                    ms(c.max())));
        }
        md.cpuRows("sending and draining", p.cpu);
        if (l.accepted() > 0 && p.cpu != null) {
            line(String.format(
                    Locale.ROOT,
                    "| per command (the idle devices' background included): CPU of gateway / harness / PostgreSQL; "
                            + "PostgreSQL transactions | "
                            + "%.2f / %.2f / %.2f ms; %.1f |",
                    p.cpu.gateway() * 1e3 / l.accepted(),
                    p.cpu.harness() * 1e3 / l.accepted(),
                    p.cpu.postgres() * 1e3 / l.accepted(),
                    (double) p.transactions / l.accepted()));
        }
        md.threads(p.gatewayThreads, p.cpu == null ? 0 : p.cpu.wallSeconds());
        phases(s);
        line();
        line("Round trip by " + (int) CommandBench.WINDOW_SECONDS + " s slice (by intake time):");
        line();
        line("| slice (s) | commands | closed | p50 (ms) | p99 (ms) | max (ms) |");
        line("| --- | ---: | ---: | ---: | ---: | ---: |");
        for (Latencies.Window w : s.windows()) {
            line(String.format(
                    Locale.ROOT,
                    "| %.0f-%.0f | %,d | %,d | %s | %s | %s |",
                    w.fromSeconds(),
                    w.toSeconds(),
                    w.published(),
                    w.committed(),
                    ms(w.stats().p50()),
                    ms(w.stats().p99()),
                    ms(w.stats().max())));
        }
        slowest(s);
        statements(p);
    }

    private void statements(CommandRun.Phase p) {
        if (p.statements.isEmpty() || p.load.accepted() == 0) {
            return;
        }
        double all =
                p.statements.stream().mapToDouble(Db.StatementCost::totalMillis).sum();
        line();
        line(String.format(
                Locale.ROOT,
                "PostgreSQL's costliest statements (pg_stat_statements, execution time only: "
                        + "parsing, planning and the protocol are not in it; the %d listed took %.0f ms, %.2f ms per command):",
                p.statements.size(),
                all,
                all / p.load.accepted()));
        line();
        line("| statement | calls per command | ms per command | µs per call | rows per call |");
        line("| --- | ---: | ---: | ---: | ---: |");
        for (Db.StatementCost st : p.statements) {
            String q = st.query().length() > 140 ? st.query().substring(0, 140) + "..." : st.query();
            line(String.format(
                    Locale.ROOT,
                    "| `%s` | %.2f | %.3f | %.0f | %.1f |",
                    q.replace("|", "\\|"),
                    (double) st.calls() / p.load.accepted(),
                    st.totalMillis() / p.load.accepted(),
                    st.calls() == 0 ? 0 : st.totalMillis() * 1e3 / st.calls(),
                    st.calls() == 0 ? 0 : (double) st.rows() / st.calls()));
        }
    }

    private void phases(CommandLatencies.Summary s) {
        line();
        line(
                "Phases (ms). Each is measured on its own commands' stamps, so the percentiles of the phases do not add up "
                        + "to the round trip's; the device's \"has the record\" can precede \"stored in the DHT\" (the first "
                        + "storing node notifies before the gateway has every node's answer and has written `published_at`).");
        line();
        line("| phase | from | commands | p50 | p90 | p99 | p99.9 | max |");
        line("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (CommandLatencies.PhaseStats p : s.phases()) {
            Latencies.Stats t = p.stats();
            line(String.format(
                    Locale.ROOT,
                    "| %s | %s | %,d | %s | %s | %s | %s | %s |",
                    p.phase().name(),
                    p.phase().from(),
                    t.count(),
                    ms(t.p50()),
                    ms(t.p90()),
                    ms(t.p99()),
                    ms(t.p999()),
                    ms(t.max())));
        }
    }

    private void slowest(CommandLatencies.Summary s) {
        if (s.slowest().isEmpty()) {
            return;
        }
        line();
        line("The " + s.slowest().size() + " slowest commands, each phase in ms:");
        line();
        StringBuilder head = new StringBuilder("| command | device |");
        StringBuilder rule = new StringBuilder("| --- | ---: |");
        for (CommandLatencies.Phase p : CommandLatencies.PHASES) {
            head.append(' ').append(p.name().replace("**", "")).append(" |");
            rule.append(" ---: |");
        }
        line(head.toString());
        line(rule.toString());
        for (CommandLatencies.Slow c : s.slowest()) {
            StringBuilder row = new StringBuilder("| `" + c.id().substring(0, 8) + "` | " + c.device() + " |");
            for (double v : c.phases()) {
                row.append(' ').append(ms(v)).append(" |");
            }
            line(row.toString());
        }
    }

    private void warmup(CommandRun run, CommandRun.Phase p) {
        CommandLoad.Result l = p.load;
        Latencies.Stats rt = p.latency.roundTrip();
        line();
        line("## Warm-up (not counted above)");
        line();
        line("The first command to each device costs the gateway a lookup of its queue's storing nodes (and the first "
                + "ack one of the ack slot's); above all the gateway's JIT compiles for the first two minutes or so.");
        line();
        line("| figure | value |");
        line("| --- | ---: |");
        line(String.format(
                Locale.ROOT,
                "| commands sent | %,d in %.1f s (%,.0f/s), accepted %,d, failed %,d%s |",
                l.sent(),
                l.seconds(),
                l.rate(),
                l.accepted(),
                l.failed(),
                l.errors().isEmpty() ? "" : " " + l.errors()));
        line(String.format(
                Locale.ROOT,
                "| closed | %s %.1f s after the last POST was answered; %s |",
                p.drained ? "all" : "NOT all",
                p.drainMillis / 1e3,
                statuses(p.latency.statuses())));
        line(String.format(
                Locale.ROOT,
                "| round trip p50 / p99 / max | %s / %s / %s ms |",
                ms(rt.p50()),
                ms(rt.p99()),
                ms(rt.max())));
        StringBuilder slices = new StringBuilder();
        for (Latencies.Window w : p.latency.windows()) {
            slices.append(slices.length() == 0 ? "" : ", ")
                    .append(String.format(
                            Locale.ROOT,
                            "%.0f-%.0f s: %s",
                            w.fromSeconds(),
                            w.toSeconds(),
                            ms(w.stats().p99())));
        }
        line("| round trip p99 by " + (int) CommandBench.WARMUP_WINDOW_SECONDS + " s slice (ms) | " + slices + " |");
        md.cpuRows("warm-up", p.cpu);
        md.threads(p.gatewayThreads, p.cpu == null ? 0 : p.cpu.wallSeconds());
        if (!run.settling.isEmpty()) {
            StringBuilder jit = new StringBuilder();
            run.settling.forEach(
                    c -> jit.append(jit.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", c)));
            line(String.format(
                    Locale.ROOT,
                    "| the gateway's JIT compilers (cores): warm-up, then each %d s block added "
                            + "until under %.2f | %s (%d block(s), %,d commands more%s) |",
                    CommandBench.SETTLE_BLOCK_SECONDS,
                    CommandBench.JIT_QUIET_CORES,
                    jit,
                    run.settling.size() - 1,
                    run.settleCommands,
                    run.settling.get(run.settling.size() - 1) > CommandBench.JIT_QUIET_CORES
                            ? "; **still compiling when the measured runs began**"
                            : ""));
        }
    }

    private void checks(CommandRun run) {
        line();
        line("## Checks");
        line();
        long open =
                OPEN.stream().mapToLong(st -> run.statuses.getOrDefault(st, 0L)).sum();
        long sent = (run.warmup == null || run.warmup.load == null ? 0 : run.warmup.load.accepted())
                + run.settleCommands
                + run.measured.stream()
                        .filter(p -> p.load != null)
                        .mapToLong(p -> p.load.accepted())
                        .sum();
        long succeeded = run.statuses.getOrDefault("SUCCEEDED", 0L);
        line(String.format(
                Locale.ROOT,
                "- every command of the run (warm-up included) by status: %s; accepted: %,d "
                        + "(every one SUCCEEDED, none left open: %s)",
                statuses(run.statuses),
                sent,
                succeeded == sent && open == 0 && run.statuses.size() == 1 ? "yes" : "**NO**"));
        if (run.device != null) {
            CommandResponder.Counters d = run.device;
            line(String.format(
                    Locale.ROOT,
                    "- simulated devices: %,d command records received, %,d results stored, "
                            + "%,d store retries, %,d results not stored; ignored: %s",
                    d.received.get(),
                    d.answered.get(),
                    d.storeRetries.get(),
                    d.storeFailures.get(),
                    d.ignored.isEmpty() ? "none" : d.ignored));
        }
        if (run.callbacks >= 0) {
            line(String.format(
                    Locale.ROOT,
                    "- callbacks: %,d commands called back, %,d repeated, %,d unreadable",
                    run.callbacks,
                    run.callbackRepeats,
                    run.callbackUnreadable));
        }
        line(String.format(Locale.ROOT, "- ingest_problems rows: %,d", run.problems));
    }

    private static String verdict(Latencies.Stats rt, long accepted) {
        if (rt.count() == 0) {
            return "**no figures**";
        }
        String met = rt.p99() < GOAL_P99_MS ? "**met**" : "**not met**";
        return rt.count() < accepted
                ? met + String.format(Locale.ROOT, " (but only %,d of %,d commands closed)", rt.count(), accepted)
                : met;
    }

    private static String perDevice(long sent, int devices) {
        double per = (double) sent / devices;
        return per == Math.rint(per)
                ? String.format(Locale.ROOT, "%.0f", per)
                : String.format(Locale.ROOT, "%.1f", per);
    }

    private static String statuses(Map<String, Long> statuses) {
        if (statuses.isEmpty()) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        statuses.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ")
                .append(k)
                .append(' ')
                .append(String.format(Locale.ROOT, "%,d", v)));
        return b.toString();
    }

    private void line(String s) {
        md.line(s);
    }

    private void line() {
        md.line();
    }
}
