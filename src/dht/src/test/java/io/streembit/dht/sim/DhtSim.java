package io.streembit.dht.sim;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The DHT lookup benchmark ({@code bin/dht-sim}): real nodes over TCP on 127.0.0.1 for the
 * small sizes, the simulated network for the large ones; prints a Markdown report and writes it
 * to {@code bench-results/dht-sim.md}.
 */
public final class DhtSim {
    private DhtSim() {}

    /** Command-line settings, with the defaults the documented figures were made with. */
    record Settings(
            List<Integer> socketSizes,
            List<Integer> simSizes,
            int lookups,
            double churn,
            long seed,
            int socketMaxConnections,
            SimNetwork.JoinPolicy join,
            Path out) {
        static Settings parse(String[] args) {
            List<Integer> socket = List.of(100, 1000);
            List<Integer> sim = List.of(100, 1000, 10_000);
            int lookups = 500;
            double churn = 0.3;
            long seed = 1;
            int maxConnections = 0;
            SimNetwork.JoinPolicy join = SimNetwork.JoinPolicy.DHT_NODE;
            Path out = Path.of("bench-results", "dht-sim.md");
            for (int i = 0; i < args.length; i++) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--socket" -> socket = sizes(value);
                    case "--sim" -> sim = sizes(value);
                    case "--lookups" -> lookups = Integer.parseInt(value);
                    case "--churn" -> churn = Double.parseDouble(value);
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--socket-max-connections" ->
                        maxConnections = value.equals("auto") ? 0 : Integer.parseInt(value);
                    case "--join" ->
                        join = switch (value) {
                            case "dht-node" -> SimNetwork.JoinPolicy.DHT_NODE;
                            case "self-lookup" -> SimNetwork.JoinPolicy.SELF_LOOKUP;
                            default -> throw new IllegalArgumentException("--join is dht-node or self-lookup");
                        };
                    case "--out" -> out = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
                i++;
            }
            return new Settings(socket, sim, lookups, churn, seed, maxConnections, join, out);
        }

        private static List<Integer> sizes(String value) {
            List<Integer> out = new ArrayList<>();
            if (value != null && !value.isBlank() && !value.equals("none")) {
                for (String s : value.split(",")) {
                    out.add(Integer.parseInt(s.trim()));
                }
            }
            return out;
        }
    }

    static final String USAGE = """
            usage: bin/dht-sim [--socket 100,1000] [--sim 100,1000,10000] [--lookups 500] [--churn 0.3]
                               [--seed 1] [--socket-max-connections auto] [--join dht-node]
                               [--out bench-results/dht-sim.md]
              --socket  sizes built from real DhtNodes over TCP on 127.0.0.1 ("none" to skip)
              --sim     sizes built in the in-memory simulation ("none" to skip)
              --socket-max-connections  per-node connection cap of the TCP networks; auto = at most
                        40, fewer when N nodes would exceed 70% of the file-descriptor limit
              --churn   fraction of simulated nodes that fail before the churn lookups (0 to skip)
              --join    simulated join: dht-node (seeds, self-lookup, empty far buckets, as DhtNode)
                        or self-lookup (seeds and self-lookup only, for comparison)""";

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(USAGE);
            return;
        }
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (RuntimeException e) {
            System.err.println(e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        BenchReport report = new BenchReport(settings, LatencyModel.wideArea());
        for (int n : settings.socketSizes()) {
            report.add(runSockets(n, settings));
        }
        for (int n : settings.simSizes()) {
            runSimulation(n, settings, report);
        }
        String markdown = report.markdown(String.join(" ", args), LocalDate.now());
        System.out.println(markdown);
        Path parent = settings.out().toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(settings.out(), markdown);
        System.err.println("written to " + settings.out());
    }

    private static BenchReport.Row runSockets(int n, Settings settings) throws Exception {
        progress("sockets: starting %d nodes", n);
        long started = System.nanoTime();
        try (SocketNetwork net = new SocketNetwork(settings.seed())) {
            int maxConnections = settings.socketMaxConnections() > 0
                    ? settings.socketMaxConnections()
                    : SocketNetwork.connectionCap(n);
            progress("sockets: at most %d connections per node", maxConnections);
            net.grow(n, SocketNetwork.options(maxConnections));
            double buildSeconds = seconds(started);
            progress("sockets: %d nodes joined in %.1f s; %d lookups", n, buildSeconds, settings.lookups());
            List<LookupSample> samples = new ArrayList<>();
            for (int i = 0; i < settings.lookups(); i++) {
                samples.add(net.measure(net.randomNode(), net.randomId()));
            }
            return new BenchReport.Row(
                    "TCP 127.0.0.1, " + maxConnections + " conn/node",
                    n,
                    LookupStats.of(samples),
                    null,
                    net.meanTableSize(),
                    buildSeconds);
        }
    }

    private static void runSimulation(int n, Settings settings, BenchReport report) {
        progress("simulation: joining %d nodes", n);
        long started = System.nanoTime();
        SimNetwork net = new SimNetwork(settings.seed(), LatencyModel.wideArea(), settings.join());
        net.grow(n);
        double buildSeconds = seconds(started);
        progress("simulation: %d nodes joined in %.1f s (%d events); lookups", n, buildSeconds, net.executedEvents());
        LookupStats cold = LookupStats.of(lookups(net, settings.lookups()));
        net.setLatency(net.latency().withSetupRoundTrips(0));
        LookupStats warm = LookupStats.of(lookups(net, settings.lookups()));
        net.setLatency(LatencyModel.wideArea());
        String label = settings.join() == SimNetwork.JoinPolicy.DHT_NODE ? "simulated" : "simulated, self-lookup join";
        report.add(new BenchReport.Row(label, n, cold, warm, net.meanTableSize(), buildSeconds));
        if (settings.churn() > 0) {
            net.fail(settings.churn());
            progress("simulation: %d of %d nodes failed; lookups", (int) Math.round(settings.churn() * n), n);
            report.addChurn(new BenchReport.ChurnRow(
                    n, net.liveIds().size(), LookupStats.of(lookups(net, settings.lookups()))));
        }
    }

    private static List<LookupSample> lookups(SimNetwork net, int count) {
        List<LookupSample> samples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            samples.add(net.measure(net.randomLiveNode(), net.randomId()));
        }
        return samples;
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private static void progress(String format, Object... args) {
        System.err.printf(format + "%n", args);
    }
}
