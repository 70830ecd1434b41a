package io.streembit.gateway.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Everything one command benchmark run measured, filled in as it goes, for {@link CommandReport}. */
final class CommandRun {
    /** One batch of commands: the warm-up or the measured one. */
    static final class Phase {
        int rate;
        CommandLoad.Result load;
        /** From the last POST's answer until every accepted command was closed (and its callback in, with callbacks on). */
        long drainMillis;

        boolean drained;
        CommandLatencies.Summary latency;
        CpuClock.Sample cpu;
        /** PostgreSQL transactions over the same time (the harness's own polling of the drain included). */
        long transactions;

        Map<String, Double> gatewayThreads;
        JfrSummary.Summary jfr;
        List<Db.StatementCost> statements = List.of();
    }

    final CommandBenchOptions options;
    final String started;
    String machine;
    String loadAtStart;
    String source;
    String postgresSettings;
    long postgresMillis;
    long dhtMillis;
    long gatewayReadyMillis;
    long devicesMillis;
    long registrationMillis;
    Phase warmup;
    /** The JIT's cores during the warm-up, then during each 10 s block added until it was quiet. */
    final List<Double> settling = new ArrayList<>();

    long settleCommands;
    final List<Phase> measured = new ArrayList<>();
    Map<String, Long> statuses = Map.of();
    CommandResponder.Counters device;
    long callbacks = -1;
    long callbackRepeats;
    long callbackUnreadable;
    long problems = -1;
    List<String> metrics = List.of();
    String failure;

    CommandRun(CommandBenchOptions options, String started) {
        this.options = options;
        this.started = started;
    }
}
