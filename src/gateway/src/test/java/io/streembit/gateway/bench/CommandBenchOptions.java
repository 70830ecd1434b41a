package io.streembit.gateway.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.streembit.gateway.bench.BenchCli.notNegative;
import static io.streembit.gateway.bench.BenchCli.positive;
import static io.streembit.gateway.bench.BenchCli.value;

/** The command line of {@link CommandBench}. Every value has a default. */
record CommandBenchOptions(
        int devices,
        List<Integer> rates,
        Duration duration,
        int warmupPerDevice,
        int warmupRate,
        int concurrency,
        boolean callbacks,
        Duration drainTimeout,
        int dhtNodes,
        boolean jfr,
        boolean pgStatements,
        Map<String, String> gatewayProps,
        String gatewayHeap,
        Path jar,
        Path routesDir,
        Path resultsDir,
        List<String> commandLine) {

    static final String USAGE = """
            bin/bench-commands [options]

            Sends commands to simulated devices through a real gateway process (src/gateway/target/quarkus-app)
            over an in-process DHT and an embedded PostgreSQL, and reports the round trip from intake to the
            device's result verified by the gateway (p50/p90/p99/p99.9/max) and its phases. Writes
            bench-results/commands-<timestamp>.md.

              --devices N          simulated thermostats (default 1000)
              --rate R[,R2,...]    commands per second, all devices together, round-robin; one measured run
                                   per rate, in order (default 200)
              --duration S         seconds of measured commands per rate (default 20)
              --warmup W           commands per device before the measured ones, not counted (default 12: two
                                   minutes for 1,000 devices, which the JIT needs; 0: none)
              --warmup-rate R      their rate (default 100/s)
              --concurrency C      POSTs unanswered at most; the sender waits beyond (default 64)
              --no-callback        commands without callbackUrl (no client-side round trip then)
              --drain-timeout S    give up waiting for the results after S seconds (default 60)
              --dht-nodes K        harness DHT nodes (default 8; the gateway joins as one more)
              --gateway-prop K=V   extra gateway configuration (a -D system property), repeatable
              --gateway-heap SIZE  the gateway's -Xmx (default 1g)
              --jfr                record a JFR profile of the gateway during each measured run
              --pg-statements      load pg_stat_statements and list PostgreSQL's costliest statements per run
              --help               this text
            """;

    static CommandBenchOptions parse(String[] args) {
        int devices = 1000;
        List<Integer> rates = List.of(200);
        int seconds = 20;
        int warmup = 12;
        int warmupRate = 100;
        int concurrency = 64;
        boolean callbacks = true;
        int drain = 60;
        int dhtNodes = 8;
        boolean jfr = false;
        boolean pgStatements = false;
        Map<String, String> props = new LinkedHashMap<>();
        String heap = "1g";
        Path root = Path.of(System.getProperty("bench.root", "")).toAbsolutePath();
        Path jar = Path.of(System.getProperty(
                "bench.jar",
                root.resolve("src/gateway/target/quarkus-app/quarkus-run.jar").toString()));
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--devices" -> devices = positive(a, value(args, ++i, a));
                case "--rate" -> {
                    List<Integer> list = new ArrayList<>();
                    for (String r : value(args, ++i, a).split(",")) {
                        list.add(positive(a, r.trim()));
                    }
                    rates = List.copyOf(list);
                }
                case "--duration" -> seconds = positive(a, value(args, ++i, a));
                case "--warmup" -> warmup = notNegative(a, value(args, ++i, a));
                case "--warmup-rate" -> warmupRate = positive(a, value(args, ++i, a));
                case "--concurrency" -> concurrency = positive(a, value(args, ++i, a));
                case "--no-callback" -> callbacks = false;
                case "--drain-timeout" -> drain = positive(a, value(args, ++i, a));
                case "--dht-nodes" -> dhtNodes = positive(a, value(args, ++i, a));
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
                case "--pg-statements" -> pgStatements = true;
                default -> throw new IllegalArgumentException("unknown option " + a + "\n\n" + USAGE);
            }
        }
        if (dhtNodes < 2) {
            throw new IllegalArgumentException("--dht-nodes must be at least 2 (a writer and a storing node)");
        }
        return new CommandBenchOptions(
                devices,
                rates,
                Duration.ofSeconds(seconds),
                warmup,
                warmupRate,
                concurrency,
                callbacks,
                Duration.ofSeconds(drain),
                dhtNodes,
                jfr,
                pgStatements,
                Map.copyOf(props),
                heap,
                jar,
                root.resolve("camel-routes"),
                root.resolve("bench-results"),
                List.of(args));
    }

    /** Commands in the measured run at {@code rate}. */
    long measured(int rate) {
        return (long) rate * duration.toSeconds();
    }

    String command() {
        return "bin/bench-commands" + (commandLine.isEmpty() ? "" : " " + String.join(" ", commandLine));
    }
}
