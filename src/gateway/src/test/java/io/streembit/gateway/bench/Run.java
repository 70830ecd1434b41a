package io.streembit.gateway.bench;

import java.util.ArrayList;
import java.util.List;

/** Everything one run measured, filled in as the phases go, for {@link Report}. */
final class Run {
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
    String source;
    String postgresSettings;
    long postgresMillis;
    long dhtMillis;
    long gatewayReadyMillis;
    long sealMillis;
    long sealedEntries;
    int tokenBytes;
    Backlog.Result backlog;
    Drain drain;
    final List<Live> live = new ArrayList<>();
    long readingRows = -1;
    long distinctBatches = -1;
    long cursorSum = -1;
    long problems = -1;
    long expectedBatches;
    List<String> metrics = List.of();
    String failure;

    Run(BenchOptions options, String started) {
        this.options = options;
        this.started = started;
    }
}
