package io.streembit.gateway.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The command line of {@link GatewayBench}: sizes, rates, bounds. Every value has a default. */
record BenchOptions(
        int devices,
        int batchesPerDevice,
        List<Integer> rates,
        Duration duration,
        Duration drainTimeout,
        int dhtNodes,
        int readingsPerBatch,
        boolean jfr,
        Map<String, String> gatewayProps,
        String gatewayHeap,
        Path jar,
        Path routesDir,
        Path resultsDir,
        List<String> commandLine) {

    static final String USAGE = """
            bin/bench-gateway [options]

            Drives a real gateway process (src/gateway/target/quarkus-app) with simulated devices over an
            in-process DHT and an embedded PostgreSQL, and reports batches/s and readings/s committed and the
            publish-to-commit latency. Writes bench-results/gateway-<timestamp>.md.

              --devices N              simulated devices (default 1000)
              --batches-per-device M   phase A backlog: entries stored per device before the devices are
                                       registered (default 200)
              --rate R[,R2,...]        phase B: aggregate publish rates in batches/s, one run each, in order
                                       (default 2500,1500,1000: half the 5,000/s goal, then lower); 0 skips B
              --duration S             phase B: seconds of publishing per rate (default 20)
              --drain-timeout S        phase A: give up waiting for the backlog after S seconds (default 240)
              --dht-nodes K            harness DHT nodes (default 8; the gateway joins as one more)
              --readings R             readings per batch (default 10)
              --gateway-prop K=V       extra gateway configuration (a -D system property), repeatable,
                                       e.g. --gateway-prop streembit.ingest.poll-interval=500ms
              --gateway-heap SIZE      the gateway's -Xmx (default 1g)
              --jfr                    record a JFR profile of the gateway per phase and list its hottest frames
              --help                   this text
            """;

    static BenchOptions parse(String[] args) {
        int devices = 1000;
        int perDevice = 200;
        List<Integer> rates = List.of(2500, 1500, 1000);
        int seconds = 20;
        int drain = 240;
        int dhtNodes = 8;
        int readings = 10;
        boolean jfr = false;
        Map<String, String> props = new LinkedHashMap<>();
        String heap = "1g";
        Path root = Path.of(System.getProperty("bench.root", "")).toAbsolutePath();
        Path jar = Path.of(System.getProperty("bench.jar", root.resolve("src/gateway/target/quarkus-app/quarkus-run.jar")
                .toString()));
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--devices" -> devices = positive(a, value(args, ++i, a));
                case "--batches-per-device" -> perDevice = positive(a, value(args, ++i, a));
                case "--rate" -> {
                    List<Integer> list = new ArrayList<>();
                    for (String r : value(args, ++i, a).split(",")) {
                        int rate = integer(a, r.trim());
                        if (rate < 0) {
                            throw new IllegalArgumentException("--rate must not be negative");
                        }
                        if (rate > 0) {
                            list.add(rate);
                        }
                    }
                    rates = List.copyOf(list);
                }
                case "--duration" -> seconds = positive(a, value(args, ++i, a));
                case "--drain-timeout" -> drain = positive(a, value(args, ++i, a));
                case "--dht-nodes" -> dhtNodes = positive(a, value(args, ++i, a));
                case "--readings" -> readings = positive(a, value(args, ++i, a));
                case "--gateway-prop" -> {
                    String kv = value(args, ++i, a);
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--gateway-prop takes KEY=VALUE, got " + kv);
                    }
                    props.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                case "--gateway-heap" -> heap = value(args, ++i, a);
                case "--jfr" -> jfr = true;
                default -> throw new IllegalArgumentException("unknown option " + a + "\n\n" + USAGE);
            }
        }
        if (dhtNodes < 2) {
            throw new IllegalArgumentException("--dht-nodes must be at least 2 (a writer and a storing node)");
        }
        return new BenchOptions(devices, perDevice, rates, Duration.ofSeconds(seconds), Duration.ofSeconds(drain),
                dhtNodes, readings, jfr, Map.copyOf(props), heap, jar, root.resolve("camel-routes"),
                root.resolve("bench-results"), List.of(args));
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int integer(String option, String text) {
        try {
            return Integer.parseInt(text.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a number, got " + text);
        }
    }

    private static int positive(String option, String text) {
        int v = integer(option, text);
        if (v < 1) {
            throw new IllegalArgumentException(option + " must be at least 1");
        }
        return v;
    }

    /** Phase B entries each device needs pre-sealed, over every rate. */
    int liveEntriesPerDevice() {
        long total = 0;
        for (int rate : rates) {
            total += (long) Math.ceil((double) rate * duration.toSeconds() / devices);
        }
        return Math.toIntExact(total);
    }

    String command() {
        return "bin/bench-gateway" + (commandLine.isEmpty() ? "" : " " + String.join(" ", commandLine));
    }
}
