package io.streembit.gateway.bench;

import java.util.ArrayList;
import java.util.List;

/** Everything one run measured, filled in as the phases go, for {@link Report}. */
final class Run {
    /** Before phase A: a fleet of its own registered, then publishing live in blocks until the gateway's JIT was quiet. */
    static final class Warmup {
        long registrationMillis;
        final List<WarmupBlock> blocks = new ArrayList<>();
        /** From the first registration until the last block's batches were committed. */
        long millis;
    }

    /** One warm-up block: what was published, committed after it, and the gateway's JIT compilers' cores over it. */
    record WarmupBlock(LivePublisher.Result publish, long committed, double seconds, double jitCores) {}

    /** Phase A: the backlog drained. */
    static final class Drain {
        long registrationMillis;
        Throughput.Summary throughput;
        CpuClock.Sample cpu;
        CpuClock.Sample steadyCpu;
        java.util.Map<String, Double> gatewayThreads;
        double seconds;
        ServedPages.Counts pages;
        JfrSummary.Summary jfr;
    }

    /** Phase B at one rate. */
    static final class Live {
        int rate;
        long firstSeq;
        int perDevice;
        LivePublisher.Result publish;
        long drainMillis;
        long committedBatches;
        Latencies.Summary latency;
        CpuClock.Sample cpu;
        java.util.Map<String, Double> gatewayThreads;
        ServedPages.Counts pages;
        JfrSummary.Summary jfr;
    }

    final BenchOptions options;
    final String started;
    String machine;
    String loadAtStart;
    /** {@link Machine#coreSpeedMBps()} before the warm-up and after phase A (0: not taken). */
    double coreSpeedAtStart;

    double coreSpeedAfterDrain;
    String source;
    String postgresSettings;
    long postgresMillis;
    long dhtMillis;
    long gatewayReadyMillis;
    long sealMillis;
    long sealedEntries;
    int tokenBytes;
    Warmup warmup;
    Backlog.Result backlog;
    Drain drain;
    final List<Live> live = new ArrayList<>();
    long readingRows = -1;
    long distinctBatches = -1;
    long cursorSum = -1;
    long problems = -1;
    /** Published over the whole run, the warm-up's included (as readingRows, distinctBatches and cursorSum are). */
    long expectedBatches;

    List<String> metrics = List.of();
    String failure;

    Run(BenchOptions options, String started) {
        this.options = options;
        this.started = started;
    }
}
