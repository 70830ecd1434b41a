package io.streembit.gateway.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.gateway.testing.GatewayProcess;
import io.streembit.protocol.Json;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.identity.PublicKey;
import io.streembit.protocol.offer.ContactOffers;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway ingest benchmark ({@code bin/bench-gateway}; docs/benchmarks.md, "Gateway ingest").
 * Not a test: a main that runs a real gateway process against an embedded PostgreSQL and an
 * in-process DHT, then writes a Markdown report to bench-results/.
 *
 * <ol>
 *   <li>set-up: PostgreSQL, the harness DHT, the gateway (waits for /q/health/ready), its offer;
 *       N device keys with thermostat TDs, and W for the warm-up; every feed entry sealed in
 *       advance on all cores;</li>
 *   <li>warm-up (unless {@code --warmup-devices 0}): the W devices are registered and publish live
 *       at the warm-up rate in blocks of {@value #WARMUP_BLOCK_SECONDS} s, each waited for until
 *       committed, until the gateway's JIT compiler threads take under {@value #WARMUP_JIT_QUIET_CORES}
 *       of a core over a block (at most {@code --warmup-max-blocks}): a fresh gateway compiles for
 *       its first minute or so, and phase A would count the compilers' share against its
 *       throughput. The W devices stay registered, idle;</li>
 *   <li>phase A, sustained throughput: M entries per device stored in the DHT, then the devices
 *       are registered and the gateway drains the backlog into PostgreSQL; batches/s from the
 *       devices' committed cursors every 500 ms;</li>
 *   <li>phase B, latency: for each rate, devices publish live at that aggregate rate; each
 *       entry's publish time against the {@code stored_at} of its readings;</li>
 *   <li>the gateway's metrics, CPU time per process, optional JFR hotspots; the report.</li>
 * </ol>
 * Every wait is bounded; the gateway process and PostgreSQL are stopped on every exit path.
 */
public final class GatewayBench {
    static final double WINDOW_SECONDS = 10;
    private static final Duration BACKLOG_TIMEOUT = Duration.ofSeconds(600);
    private static final Duration LIVE_DRAIN_TIMEOUT = Duration.ofSeconds(60);
    static final int REGISTER_THREADS = 4;
    static final int WARMUP_BLOCK_SECONDS = 10;
    static final double WARMUP_JIT_QUIET_CORES = 0.05;

    private final BenchOptions options;
    private final Run run;
    private final Path resultsDir;
    private final String stamp;

    private GatewayBench(BenchOptions options) {
        this.options = options;
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        this.stamp = now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        this.run = new Run(options, now.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")) + " UTC");
        this.resultsDir = options.resultsDir();
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options =
                BenchCli.options(args, BenchOptions.USAGE, BenchOptions::parse, BenchOptions::jar, "bin/bench-gateway");
        if (options != null) {
            System.exit(new GatewayBench(options).execute());
        }
    }

    private int execute() throws Exception {
        Files.createDirectories(resultsDir);
        Path reportFile = resultsDir.resolve("gateway-" + stamp + ".md");
        Path log = resultsDir.resolve("gateway-" + stamp + ".log");
        run.machine = Machine.describe();
        run.loadAtStart = Machine.loadAverage();
        run.source = Machine.source(options.resultsDir().getParent());
        int status = 0;
        try {
            measure(log);
        } catch (Exception | Error e) {
            status = 1;
            run.failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            e.printStackTrace();
        } finally {
            String report = Report.of(run);
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
                (pg, seeds, work) -> GatewaySetup.create(options, pg, seeds, work, log),
                log,
                GatewayBench::step)) {
            run.postgresMillis = env.postgresMillis;
            run.dhtMillis = env.dhtMillis;
            run.gatewayReadyMillis = env.gatewayReadyMillis;
            run.postgresSettings = env.db.settings();
            phases(env.dht, env.gateway, env.db);
        }
    }

    private void phases(BenchDht dht, GatewayProcess gateway, Db db) throws Exception {
        PublicKey gatewayKey =
                ContactOffers.parse(gateway.getOk("/api/gateway/offer")).publicKey();
        NodeId gatewayNode = gatewayKey.nodeId();
        int m = options.batchesPerDevice();
        int entries = m + options.liveEntriesPerDevice();
        int warmupEntries = options.warmupEntriesPerDevice();
        step(String.format(
                Locale.ROOT,
                "creating %,d devices and sealing %,d entries each%s",
                options.devices(),
                entries,
                options.warmupDevices() == 0
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                "; %,d warm-up devices, %,d entries each",
                                options.warmupDevices(),
                                warmupEntries)));
        long t = System.nanoTime();
        List<BenchDevice> devices = Fleet.create(dht, gatewayNode, options.devices(), entries);
        List<BenchDevice> warmupDevices = Fleet.create(dht, gatewayNode, options.warmupDevices(), warmupEntries);
        List<BenchDevice> sealed = new ArrayList<>(devices);
        sealed.addAll(warmupDevices);
        Fleet.seal(
                sealed,
                gatewayKey,
                options.readingsPerBatch(),
                Runtime.getRuntime().availableProcessors());
        run.sealMillis = millisSince(t);
        run.sealedEntries = (long) entries * devices.size() + (long) warmupEntries * warmupDevices.size();
        run.tokenBytes = devices.get(0).tokens[0].length();

        try {
            run.coreSpeedAtStart = Machine.coreSpeedMBps();
            step(String.format(Locale.ROOT, "one core's speed: %,.0f MB/s of SHA-256", run.coreSpeedAtStart));
            if (!warmupDevices.isEmpty()) {
                warmup(warmupDevices, gateway, db);
            }

            step(String.format(
                    Locale.ROOT,
                    "storing the backlog: %,d entries (no device registered yet)",
                    (long) m * devices.size()));
            run.backlog = Backlog.store(devices, m, BACKLOG_TIMEOUT);
            if (run.backlog.failed() > 0) {
                throw new IllegalStateException(
                        run.backlog.failed() + " backlog entries were not stored: " + run.backlog.errors());
            }

            step("phase A: registering the devices; the gateway drains the backlog");
            run.drain = drain(devices, gateway, db);
            run.expectedBatches += run.drain.throughput.expected();
            Thread.sleep(2_000); // the last acks go out
            run.coreSpeedAfterDrain = Machine.coreSpeedMBps();
            step(String.format(Locale.ROOT, "one core's speed: %,.0f MB/s of SHA-256", run.coreSpeedAfterDrain));
            if (!run.drain.throughput.complete()) {
                Path dump = resultsDir.resolve("gateway-" + stamp + "-stalled.txt");
                List<String> ids = devices.stream().map(BenchDevice::account).toList();
                StringBuilder why = new StringBuilder();
                for (String id : db.laggingDevices(ids, m, 5)) {
                    String body = gateway.get("/api/devices/" + id).body();
                    why.append("GET /api/devices/")
                            .append(id)
                            .append(":\n")
                            .append(body, 0, Math.min(1500, body.length()))
                            .append("\n\n");
                }
                why.append(db.cursorHistogram(ids)).append("\n\n").append(gateway.jcmd("Thread.print"));
                Files.writeString(dump, why);
                throw new IllegalStateException("the backlog was not drained within "
                        + options.drainTimeout().toSeconds() + " s: " + run.drain.throughput.committed() + " of "
                        + run.drain.throughput.expected() + " (lagging devices and the gateway's threads: " + dump
                        + ")");
            }
            CpuClock cpu = new CpuClock(gateway.pid(), db.postmasterPid());
            Profiler profiler = new Profiler(gateway, resultsDir, "gateway-" + stamp, options.jfr());

            long firstSeq = m + 1;
            for (int rate : options.rates()) {
                int per = (int) Math.ceil((double) rate * options.duration().toSeconds() / devices.size());
                step(String.format(
                        Locale.ROOT,
                        "phase B: publishing %,d batches/s for about %d s",
                        rate,
                        options.duration().toSeconds()));
                Run.Live live = live(devices, db, cpu, profiler, gateway.pid(), rate, firstSeq, per);
                run.live.add(live);
                run.expectedBatches += live.publish.published();
                firstSeq += per;
            }
        } finally {
            checks(gateway, db);
        }
        if (!gateway.alive()) {
            throw new IllegalStateException("the gateway process died; see " + gateway.log());
        }
    }

    /**
     * The warm-up on its own fleet, before the backlog is stored: registered, then live publishing
     * in blocks of {@value #WARMUP_BLOCK_SECONDS} s until a block's JIT share is under
     * {@value #WARMUP_JIT_QUIET_CORES} of a core. Every block is committed before the next starts
     * (and before phase A, whose counts start from the cursors' sum then), or the run fails.
     */
    private void warmup(List<BenchDevice> devices, GatewayProcess gateway, Db db) throws Exception {
        Run.Warmup w = new Run.Warmup();
        run.warmup = w;
        int per = options.warmupPerBlock();
        step(String.format(Locale.ROOT, "warm-up: registering %,d devices of its own", devices.size()));
        long start = System.nanoTime();
        register(gateway, devices);
        w.registrationMillis = millisSince(start);
        try {
            for (int b = 0; b < options.warmupMaxBlocks(); b++) {
                step(String.format(
                        Locale.ROOT,
                        "warm-up block %d: publishing %,d batches/s for about %d s",
                        b + 1,
                        options.warmupRate(),
                        WARMUP_BLOCK_SECONDS));
                long baseline = db.committedBatches();
                java.util.Map<String, Double> threadsBefore = CpuClock.threads(gateway.pid());
                long t = System.nanoTime();
                LivePublisher.Result publish =
                        LivePublisher.run(devices, 1 + (long) b * per, per, options.warmupRate());
                run.expectedBatches += publish.published();
                long committed = awaitCommitted(db, baseline, publish.acked());
                double seconds = (System.nanoTime() - t) / 1e9;
                double jit = CpuClock.jitCores(CpuClock.minus(CpuClock.threads(gateway.pid()), threadsBefore), seconds);
                w.blocks.add(new Run.WarmupBlock(publish, committed, seconds, jit));
                System.out.printf(
                        Locale.ROOT,
                        "   published %,d at %,.0f/s; committed %,d; the gateway's JIT took %.2f " + "of a core%n",
                        publish.published(),
                        publish.rate(),
                        committed,
                        jit);
                if (committed < publish.acked()) {
                    throw new IllegalStateException("warm-up block " + (b + 1) + ": " + committed + " of "
                            + publish.acked() + " acknowledged batches committed within "
                            + LIVE_DRAIN_TIMEOUT.toSeconds() + " s");
                }
                if (jit < WARMUP_JIT_QUIET_CORES) {
                    break;
                }
            }
        } finally {
            w.millis = millisSince(start);
        }
    }

    /** Waits (at most {@link #LIVE_DRAIN_TIMEOUT}) until {@code acked} batches more than {@code baseline} are committed. */
    private static long awaitCommitted(Db db, long baseline, long acked) throws Exception {
        long deadline = System.nanoTime() + LIVE_DRAIN_TIMEOUT.toNanos();
        long committed = db.committedBatches() - baseline;
        while (committed < acked && System.nanoTime() < deadline) {
            Thread.sleep(100);
            committed = db.committedBatches() - baseline;
        }
        return committed;
    }

    /** Counts in PostgreSQL and the gateway's metrics: also after a failed phase, to see where it stood. */
    private void checks(GatewayProcess gateway, Db db) {
        try {
            run.cursorSum = db.committedBatches();
            run.readingRows = db.queryLong("SELECT count(*) FROM readings");
            run.distinctBatches = db.queryLong("SELECT count(DISTINCT (device_id, seq)) FROM readings");
            run.problems = db.queryLong("SELECT count(*) FROM ingest_problems");
            if (gateway.alive()) {
                run.metrics = Metrics.relevant(gateway.getOk("/q/metrics"));
            }
        } catch (Exception e) {
            System.err.println("final checks incomplete: " + e);
        }
    }

    /** CPU used between the throughput points at {@code from} and {@code to} ms (sampled together). */
    private static CpuClock.Sample window(
            List<CpuClock.Sample> cpu, List<Throughput.Point> points, long from, long to) {
        CpuClock.Sample a = null;
        CpuClock.Sample b = null;
        for (int i = 0; i < points.size() && i < cpu.size(); i++) {
            if (points.get(i).millis() == from) {
                a = cpu.get(i);
            }
            if (points.get(i).millis() == to) {
                b = cpu.get(i);
            }
        }
        return a == null || b == null ? null : b.minus(a);
    }

    private static int index(List<Throughput.Point> points, long millis) {
        for (int i = 0; i < points.size(); i++) {
            if (points.get(i).millis() == millis) {
                return i;
            }
        }
        return -1;
    }

    static void register(GatewayProcess gateway, BenchDevice device) throws Exception {
        ObjectNode body = Json.object();
        body.put("offer", device.offer);
        body.put("name", "bench-" + device.index);
        HttpResponse<String> r = gateway.postJson("/api/devices", Json.text(body));
        if (r.statusCode() != 201) {
            throw new IllegalStateException(
                    "registering device " + device.index + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** {@value #REGISTER_THREADS} registrations at a time; all must answer 201. */
    static void register(GatewayProcess gateway, List<BenchDevice> devices) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(REGISTER_THREADS);
        try {
            for (Future<?> f : submitRegistrations(pool, gateway, devices)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Future<?>> submitRegistrations(
            ExecutorService pool, GatewayProcess gateway, List<BenchDevice> devices) {
        List<Future<?>> registrations = new ArrayList<>();
        for (BenchDevice device : devices) {
            registrations.add(pool.submit(() -> {
                register(gateway, device);
                return null;
            }));
        }
        return registrations;
    }

    /**
     * Phase A: M entries wait in every feed; the devices are registered ({@value #REGISTER_THREADS}
     * requests at a time) and the gateway follows each from its registration on. The clock starts
     * at the first registration; the steady rate is taken after the last.
     */
    private Run.Drain drain(List<BenchDevice> devices, GatewayProcess gateway, Db db) throws Exception {
        Run.Drain d = new Run.Drain();
        long expected = (long) devices.size() * options.batchesPerDevice();
        long baseline = db.committedBatches();
        CpuClock cpu = new CpuClock(gateway.pid(), db.postmasterPid());
        Profiler profiler = new Profiler(gateway, resultsDir, "gateway-" + stamp, options.jfr());
        profiler.start("phaseA");
        ServedPages.reset();
        CpuClock.Sample before = cpu.sample();
        long start = System.nanoTime();
        AtomicLong registeredAt = new AtomicLong(-1);
        ExecutorService pool = Executors.newFixedThreadPool(REGISTER_THREADS);
        try {
            List<Future<?>> registrations = submitRegistrations(pool, gateway, devices);
            Thread waiter = new Thread(
                    () -> {
                        try {
                            for (Future<?> f : registrations) {
                                f.get();
                            }
                            registeredAt.set(millisSince(start));
                        } catch (Exception e) {
                            e.printStackTrace();
                            registeredAt.set(-2);
                        }
                    },
                    "registration-waiter");
            waiter.setDaemon(true);
            waiter.start();
            Throughput throughput = new Throughput();
            List<CpuClock.Sample> samples = new ArrayList<>();
            List<java.util.Map<String, Double>> threads = new ArrayList<>();
            throughput.run(
                    () -> {
                        if (registeredAt.get() == -2 || !gateway.alive()) {
                            throw new IllegalStateException("a device registration failed, or the gateway died");
                        }
                        samples.add(cpu.sample());
                        threads.add(CpuClock.threads(gateway.pid()));
                        return db.committedBatches();
                    },
                    start,
                    baseline,
                    expected,
                    options.drainTimeout().toMillis());
            waiter.join(60_000);
            d.cpu = cpu.sample().minus(before);
            d.pages = ServedPages.snapshot();
            d.registrationMillis = registeredAt.get();
            d.throughput = throughput.summarize(expected, Math.max(0, registeredAt.get()));
            d.steadyCpu = window(samples, throughput.points(), d.throughput.windowFrom(), d.throughput.windowTo());
            int from = index(throughput.points(), d.throughput.windowFrom());
            int to = index(throughput.points(), d.throughput.windowTo());
            if (from >= 0 && to > from) {
                d.gatewayThreads = CpuClock.minus(threads.get(to), threads.get(from));
                d.seconds = (throughput.points().get(to).millis()
                                - throughput.points().get(from).millis())
                        / 1e3;
            }
        } finally {
            pool.shutdownNow();
        }
        d.jfr = profiler.stop("phaseA");
        return d;
    }

    private Run.Live live(
            List<BenchDevice> devices,
            Db db,
            CpuClock cpu,
            Profiler profiler,
            long gatewayPid,
            int rate,
            long firstSeq,
            int per)
            throws Exception {
        Run.Live l = new Run.Live();
        l.rate = rate;
        l.firstSeq = firstSeq;
        l.perDevice = per;
        long baseline = db.committedBatches();
        String name = "phaseB-" + rate;
        profiler.start(name);
        ServedPages.reset();
        CpuClock.Sample before = cpu.sample();
        java.util.Map<String, Double> threadsBefore = CpuClock.threads(gatewayPid);
        l.publish = LivePublisher.run(devices, firstSeq, per, rate);
        CpuClock.Sample atEnd = cpu.sample();
        l.gatewayThreads = CpuClock.minus(CpuClock.threads(gatewayPid), threadsBefore);
        long t = System.nanoTime();
        long committed = awaitCommitted(db, baseline, l.publish.acked());
        l.drainMillis = millisSince(t);
        l.pages = ServedPages.snapshot();
        l.committedBatches = committed;
        l.cpu = atEnd.minus(before);
        l.jfr = profiler.stop(name);
        l.latency = Latencies.of(devices, firstSeq, per, db.commitsAfter(firstSeq - 1), WINDOW_SECONDS);
        System.out.printf(
                Locale.ROOT,
                "   published %,d at %,.0f/s; committed %,d; publish-to-commit p50 %.1f ms, " + "p99 %.1f ms%n",
                l.publish.published(),
                l.publish.rate(),
                committed,
                l.latency.publishToCommit().p50(),
                l.latency.publishToCommit().p99());
        return l;
    }

    static void step(String what) {
        System.out.println("== " + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + " " + what);
    }

    static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
