package io.streembit.gateway.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The measured commands' round trip and its phases, in ms, from the gateway's timestamps (the
 * {@code commands} row: same clock as each other) and the harness's ({@link CommandTimes}: same
 * machine, same wall clock). {@code created_at} has millisecond precision, so phases measured
 * from it read up to 1 ms long.
 */
final class CommandLatencies {
    /** A span between two stamps; NaN when either is missing. */
    interface Span {
        double ms(Db.CommandRow row, CommandTimes.Stamps stamps);
    }

    record Phase(String name, String from, Span span) {}

    record PhaseStats(Phase phase, Latencies.Stats stats) {}

    /** One of the slowest commands, with every phase. */
    record Slow(String id, int device, double roundTrip, double[] phases) {}

    record Summary(
            long measured,
            long rows,
            Map<String, Long> statuses,
            Latencies.Stats roundTrip,
            Latencies.Stats client,
            List<PhaseStats> phases,
            List<Latencies.Window> windows,
            List<Slow> slowest) {}

    static final Phase ROUND_TRIP = new Phase(
            "**round trip**: intake to result verified",
            "`finished_at - created_at`",
            (r, s) -> between(r.created(), r.finished()));
    static final Phase CLIENT = new Phase(
            "portal: POST sent to callback received",
            "harness",
            (r, s) -> s == null ? Double.NaN : between(s.sent, s.callback));

    /** In the order a command goes through them. */
    static final List<Phase> PHASES = List.of(
            new Phase("POST answered (202)", "harness", (r, s) -> s == null ? Double.NaN : between(s.sent, s.answered)),
            new Phase(
                    "intake to stored in the DHT",
                    "`published_at - created_at`",
                    (r, s) -> between(r.created(), r.published())),
            new Phase(
                    "intake to device has the record",
                    "device stamp - `created_at`",
                    (r, s) -> s == null ? Double.NaN : between(r.created(), s.received)),
            new Phase(
                    "device: open, check, seal the result",
                    "device stamps",
                    (r, s) -> s == null ? Double.NaN : between(s.received, s.sealed)),
            new Phase(
                    "result entry appended to gateway verified it",
                    "`finished_at` - device stamp",
                    (r, s) -> s == null ? Double.NaN : between(s.sealed, r.finished())),
            new Phase(
                    "verified to commit began",
                    "reading `stored_at - finished_at`",
                    (r, s) -> between(r.finished(), r.committed())),
            new Phase(
                    "verified to callback received",
                    "harness - `finished_at`",
                    (r, s) -> s == null ? Double.NaN : between(r.finished(), s.callback)),
            ROUND_TRIP,
            new Phase(
                    "intake to commit began",
                    "reading `stored_at - created_at`",
                    (r, s) -> between(r.created(), r.committed())),
            CLIENT);

    private CommandLatencies() {}

    static Summary of(long measured, List<Db.CommandRow> rows, CommandTimes times, double windowSeconds, int slowest) {
        Map<String, Long> statuses = new TreeMap<>();
        List<List<Double>> values = new ArrayList<>();
        PHASES.forEach(p -> values.add(new ArrayList<>()));
        long first = Long.MAX_VALUE;
        long last = 0;
        for (Db.CommandRow r : rows) {
            first = Math.min(first, r.created());
            last = Math.max(last, r.created());
        }
        int slices = rows.isEmpty()
                ? 0
                : Math.max(1, (int) Math.ceil(Math.max(1, last - first) / 1e6 / windowSeconds - 0.05));
        List<List<Double>> perSlice = new ArrayList<>();
        long[] sentPerSlice = new long[Math.max(1, slices)];
        for (int i = 0; i < Math.max(1, slices); i++) {
            perSlice.add(new ArrayList<>());
        }
        List<Slow> all = new ArrayList<>();
        for (Db.CommandRow r : rows) {
            statuses.merge(r.status(), 1L, Long::sum);
            CommandTimes.Stamps s = times.get(r.id());
            double[] phases = new double[PHASES.size()];
            for (int i = 0; i < PHASES.size(); i++) {
                phases[i] = PHASES.get(i).span().ms(r, s);
                if (!Double.isNaN(phases[i])) {
                    values.get(i).add(phases[i]);
                }
            }
            int slice = Math.min(sentPerSlice.length - 1, (int) ((r.created() - first) / 1e6 / windowSeconds));
            sentPerSlice[slice]++;
            double rt = ROUND_TRIP.span().ms(r, s);
            if (!Double.isNaN(rt)) {
                perSlice.get(slice).add(rt);
                all.add(new Slow(r.id(), s == null ? -1 : s.device, rt, phases));
            }
        }
        List<PhaseStats> stats = new ArrayList<>();
        for (int i = 0; i < PHASES.size(); i++) {
            stats.add(new PhaseStats(PHASES.get(i), Latencies.Stats.of(toArray(values.get(i)))));
        }
        List<Latencies.Window> windows = new ArrayList<>();
        for (int i = 0; i < slices; i++) {
            windows.add(new Latencies.Window(
                    i * windowSeconds,
                    Math.min((i + 1) * windowSeconds, (last - first) / 1e6),
                    sentPerSlice[i],
                    perSlice.get(i).size(),
                    Latencies.Stats.of(toArray(perSlice.get(i)))));
        }
        all.sort(Comparator.comparingDouble(Slow::roundTrip).reversed());
        return new Summary(
                measured,
                rows.size(),
                statuses,
                stats.get(PHASES.indexOf(ROUND_TRIP)).stats(),
                stats.get(PHASES.indexOf(CLIENT)).stats(),
                stats,
                windows,
                List.copyOf(all.subList(0, Math.min(slowest, all.size()))));
    }

    private static double between(long fromMicros, long toMicros) {
        return fromMicros == 0 || toMicros == 0 ? Double.NaN : (toMicros - fromMicros) / 1000.0;
    }

    private static double[] toArray(List<Double> list) {
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }
}
