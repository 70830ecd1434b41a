package io.streembit.gateway.bench;

import io.streembit.gateway.testing.GatewayProcess;
import io.streembit.protocol.identity.PublicKey;
import io.streembit.protocol.offer.ContactOffers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The command round-trip benchmark ({@code bin/bench-commands}; docs/benchmarks.md, "Gateway
 * commands"). Not a test: a main that runs a real gateway process against an embedded PostgreSQL
 * and an in-process DHT, as the ingest benchmark does ({@link BenchEnvironment}), then writes a
 * Markdown report to bench-results/.
 *
 * <ol>
 *   <li>set-up: N thermostat keys, registered at the gateway; one {@link CommandResponder} per
 *       device on the harness node that writes its feed; the {@link CallbackReceiver};</li>
 *   <li>warm-up: W commands per device at the warm-up rate, waited for and reported apart, then
 *       more in 10 s blocks while the gateway's JIT compilers still take over a tenth of a core
 *       (at most two minutes more), then a pause for the last acks: the gateway's first command to
 *       a device looks up its queue's storing nodes and its first ack the ack slot's, and above all
 *       the JIT compiles for minutes;</li>
 *   <li>measured, for each rate: rate x duration commands, round-robin, at that rate; waited for
 *       until every one is closed and its callback arrived;</li>
 *   <li>the commands' rows and the harness's stamps give the round trip and its phases; CPU time
 *       per process over the measured phase, optional JFR hotspots; the report.</li>
 * </ol>
 * Every wait is bounded; the gateway process and PostgreSQL are stopped on every exit path.
 */
public final class CommandBench {
    static final double WINDOW_SECONDS = 5;
    static final double WARMUP_WINDOW_SECONDS = 20;
    static final int SLOWEST = 10;
    static final int STATEMENTS = 15;
    private static final long SETTLE_MILLIS = 2_000;
    /**
     * The warm-up goes on in blocks of this many seconds while the gateway's JIT compiler threads
     * take more than {@value #JIT_QUIET_CORES} of a core, at most {@value #MAX_SETTLE_BLOCKS} blocks and
     * as long again as the warm-up:
     * a warm-up that overloaded the box (first contacts, interpreted code) leaves the JIT behind,
     * and a run measured then measures the JIT (p99 13 s at 200/s with the compiler at 0.24).
     */
    static final int SETTLE_BLOCK_SECONDS = 10;

    static final double JIT_QUIET_CORES = 0.10;
    static final int MAX_SETTLE_BLOCKS = 12;
    /** After the warm-up: the last acks go out (one per device per ack interval, 5 s). */
    private static final long AFTER_WARMUP_MILLIS = 5_000;

    private final CommandBenchOptions options;
    private final CommandRun run;
    private final Path resultsDir;
    private final String stamp;
    private final CommandTimes times = new CommandTimes();

    private CommandBench(CommandBenchOptions options) {
        this.options = options;
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        this.stamp = now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        this.run = new CommandRun(options, now.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")) + " UTC");
        this.resultsDir = options.resultsDir();
    }

    public static void main(String[] args) throws Exception {
        CommandBenchOptions options = BenchCli.options(
                args,
                CommandBenchOptions.USAGE,
                CommandBenchOptions::parse,
                CommandBenchOptions::jar,
                "bin/bench-commands");
        if (options != null) {
            System.exit(new CommandBench(options).execute());
        }
    }

    private int execute() throws Exception {
        Files.createDirectories(resultsDir);
        Path reportFile = resultsDir.resolve("commands-" + stamp + ".md");
        Path log = resultsDir.resolve("commands-" + stamp + ".log");
        run.machine = Machine.describe();
        run.loadAtStart = Machine.loadAverage();
        run.source = Machine.source(resultsDir.getParent());
        int status = 0;
        try {
            measure(log);
        } catch (Exception | Error e) {
            status = 1;
            run.failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            e.printStackTrace();
        } finally {
            String report = CommandReport.of(run);
            Files.writeString(reportFile, report);
            System.out.println();
            System.out.println(report);
            System.out.println("Written: " + reportFile + " (gateway log: " + log + ")");
        }
        return status;
    }

    private void measure(Path log) throws Exception {
        try (BenchEnvironment env = BenchEnvironment.start(
                        options.dhtNodes(),
                        options.pgStatements(),
                        (pg, seeds, work) -> GatewaySetup.create(
                                options.jar(),
                                options.gatewayHeap(),
                                List.of(),
                                options.routesDir(),
                                options.gatewayProps(),
                                pg,
                                seeds,
                                work,
                                log),
                        log,
                        GatewayBench::step);
                CallbackReceiver callbacks = new CallbackReceiver(times)) {
            run.postgresMillis = env.postgresMillis;
            run.dhtMillis = env.dhtMillis;
            run.gatewayReadyMillis = env.gatewayReadyMillis;
            run.postgresSettings = env.db.settings();
            List<CommandResponder> responders = List.of();
            try {
                responders = phases(env, callbacks);
            } finally {
                responders.forEach(CommandResponder::stop);
                checks(env, callbacks);
            }
            if (!env.gateway.alive()) {
                throw new IllegalStateException("the gateway process died; see " + env.gateway.log());
            }
        }
    }

    private List<CommandResponder> phases(BenchEnvironment env, CallbackReceiver callbacks) throws Exception {
        GatewayProcess gateway = env.gateway;
        PublicKey gatewayKey =
                ContactOffers.parse(gateway.getOk("/api/gateway/offer")).publicKey();
        GatewayBench.step(String.format(Locale.ROOT, "creating %,d devices", options.devices()));
        long t = System.nanoTime();
        List<BenchDevice> devices = Fleet.create(env.dht, gatewayKey, options.devices(), 0);
        run.devicesMillis = GatewayBench.millisSince(t);

        GatewayBench.step("registering the devices");
        t = System.nanoTime();
        GatewayBench.register(gateway, devices);
        run.registrationMillis = GatewayBench.millisSince(t);

        GatewayBench.step("subscribing every device to its command queue");
        run.device = new CommandResponder.Counters();
        List<CommandResponder> responders = CommandResponder.startAll(devices, env.dht, gatewayKey, times, run.device);
        Thread.sleep(SETTLE_MILLIS); // the subscriptions' lookups and SUBSCRIBEs; a late one still polls
        String callbackUrl = options.callbacks() ? callbacks.url() : null;
        long first = (long) options.warmupPerDevice() * devices.size();
        if (first > 0) {
            GatewayBench.step(
                    String.format(Locale.ROOT, "warm-up: %,d commands at %,d/s", first, options.warmupRate()));
            run.warmup = phase(env, devices, 0, first, options.warmupRate(), callbackUrl, null, WARMUP_WINDOW_SECONDS);
            run.settling.add(jitCores(run.warmup));
            long block = (long) options.warmupRate() * SETTLE_BLOCK_SECONDS;
            // at most as long again as the warm-up itself, and two minutes (a smoke run stays short)
            int maxBlocks =
                    (int) Math.min(MAX_SETTLE_BLOCKS, Math.ceil(run.warmup.load.seconds() / SETTLE_BLOCK_SECONDS));
            while (run.settling.get(run.settling.size() - 1) > JIT_QUIET_CORES && run.settling.size() <= maxBlocks) {
                GatewayBench.step(String.format(
                        Locale.ROOT,
                        "the gateway's JIT took %.2f of a core: %d s more at %,d/s",
                        run.settling.get(run.settling.size() - 1),
                        SETTLE_BLOCK_SECONDS,
                        options.warmupRate()));
                CommandRun.Phase more = phase(
                        env, devices, first, block, options.warmupRate(), callbackUrl, null, WARMUP_WINDOW_SECONDS);
                first += block;
                run.settleCommands += more.load.accepted();
                run.settling.add(jitCores(more));
            }
            Thread.sleep(AFTER_WARMUP_MILLIS);
        }
        Profiler profiler = new Profiler(gateway, resultsDir, "commands-" + stamp, options.jfr());
        for (int rate : options.rates()) {
            long total = options.measured(rate);
            GatewayBench.step(String.format(
                    Locale.ROOT,
                    "measured: %,d commands at %,d/s for %d s",
                    total,
                    rate,
                    options.duration().toSeconds()));
            CommandRun.Phase p = phase(env, devices, first, total, rate, callbackUrl, profiler, WINDOW_SECONDS);
            run.measured.add(p);
            first += total;
            Latencies.Stats rt = p.latency.roundTrip();
            System.out.printf(
                    Locale.ROOT,
                    "   sent %,d at %,.0f/s; round trip p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    p.load.sent(),
                    p.load.rate(),
                    rt.p50(),
                    rt.p99(),
                    rt.max());
        }
        return responders;
    }

    private CommandRun.Phase phase(
            BenchEnvironment env,
            List<BenchDevice> devices,
            long first,
            long total,
            int rate,
            String callbackUrl,
            Profiler profiler,
            double window)
            throws Exception {
        CommandRun.Phase p = new CommandRun.Phase();
        p.rate = rate;
        CpuClock cpu = new CpuClock(env.gateway.pid(), env.db.postmasterPid());
        if (profiler != null) {
            profiler.start("commands-" + rate);
        }
        if (options.pgStatements()) {
            env.db.resetStatements();
        }
        long transactions = env.db.transactions();
        CpuClock.Sample before = cpu.sample();
        java.util.Map<String, Double> threadsBefore = CpuClock.threads(env.gateway.pid());
        p.load = CommandLoad.run(env.gateway, devices, first, total, rate, options.concurrency(), callbackUrl, times);
        long t = System.nanoTime();
        p.drained = awaitClosed(env.db, p.load.ids(), callbackUrl != null);
        p.drainMillis = GatewayBench.millisSince(t);
        p.cpu = cpu.sample().minus(before);
        p.transactions = env.db.transactions() - transactions;
        if (options.pgStatements()) {
            p.statements = env.db.statements(STATEMENTS);
        }
        p.gatewayThreads = CpuClock.minus(CpuClock.threads(env.gateway.pid()), threadsBefore);
        if (profiler != null) {
            p.jfr = profiler.stop("commands-" + rate);
        }
        p.latency = CommandLatencies.of(total, env.db.commands(p.load.ids()), times, window, SLOWEST);
        return p;
    }

    /** Until no command is open any more and, with callbacks, each of {@code ids} has its callback; false on timeout. */
    private boolean awaitClosed(Db db, List<String> ids, boolean callbacks) throws Exception {
        long deadline = System.nanoTime() + options.drainTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            boolean open = db.queryLong("SELECT count(*) FROM commands WHERE status IN ('QUEUED', 'PUBLISHED')") > 0;
            if (!open && (!callbacks || ids.stream().allMatch(this::calledBack))) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** Cores the gateway's JIT compiler threads took during {@code p} (/proc: "C1/C2 CompilerThre..."). */
    static double jitCores(CommandRun.Phase p) {
        return p.cpu == null ? 0 : CpuClock.jitCores(p.gatewayThreads, p.cpu.wallSeconds());
    }

    private boolean calledBack(String id) {
        CommandTimes.Stamps s = times.get(id);
        return s != null && s.callback != 0;
    }

    /** Counts in PostgreSQL and the gateway's metrics: also after a failed phase, to see where it stood. */
    private void checks(BenchEnvironment env, CallbackReceiver callbacks) {
        try {
            run.statuses = env.db.commandStatuses();
            run.problems = env.db.queryLong("SELECT count(*) FROM ingest_problems");
            run.callbacks = callbacks.received();
            run.callbackRepeats = callbacks.repeats();
            run.callbackUnreadable = callbacks.unreadable();
            if (env.gateway.alive()) {
                run.metrics = Metrics.relevant(env.gateway.getOk("/q/metrics"));
            }
        } catch (Exception e) {
            System.err.println("final checks incomplete: " + e);
        }
    }
}
