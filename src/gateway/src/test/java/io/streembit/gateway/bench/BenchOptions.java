package io.streembit.gateway.bench;

import io.streembit.gateway.deploy.RunJava;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.streembit.gateway.bench.BenchCli.integer;
import static io.streembit.gateway.bench.BenchCli.positive;
import static io.streembit.gateway.bench.BenchCli.value;

/** The command line of {@link GatewayBench}: sizes, rates, bounds. Every value has a default. */
record BenchOptions(
        int devices,
        int batchesPerDevice,
        int warmupDevices,
        int warmupRate,
        int warmupMaxBlocks,
        List<Integer> rates,
        Duration duration,
        Duration drainTimeout,
        int dhtNodes,
        int readingsPerBatch,
        boolean jfr,
        Map<String, String> gatewayProps,
        String gatewayHeap,
        List<String> gatewayJvmOptions,
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
              --warmup-devices W       warm-up before phase A: W devices of their own, registered and publishing
                                       live in 10 s blocks until the gateway's JIT compilers take under 0.05 of a
                                       core (default 200; they stay registered, idle; 0: no warm-up)
              --warmup-rate R          the warm-up's aggregate publish rate in batches/s (default 1500)
              --warmup-max-blocks B    at most B warm-up blocks of 10 s (default 9)
              --rate R[,R2,...]        phase B: aggregate publish rates in batches/s, one run each, in order
                                       (default 2500,1500,1000: half the 5,000/s goal, then lower); 0 skips B
              --duration S             phase B: seconds of publishing per rate (default 20)
              --drain-timeout S        phase A: give up waiting for the backlog after S seconds (default 240)
              --dht-nodes K            harness DHT nodes (default 8; the gateway joins as one more)
              --readings R             readings per batch (default 10)
              --gateway-prop K=V       extra gateway configuration (a -D system property), repeatable,
                                       e.g. --gateway-prop streembit.ingest.poll-interval=500ms
              --gateway-heap SIZE      the gateway's -Xmx (default 1g)
              --gateway-jvm-opts "..." the gateway's other JVM options, space-separated; "" for the JVM's own
                                       defaults (default: the collector options the container image,
                                       docker/gateway.Dockerfile, starts it with)
              --jfr                    record a JFR profile of the gateway per phase and list its hottest frames
              --help                   this text
            """;

    static BenchOptions parse(String[] args) {
        int devices = 1000;
        int perDevice = 200;
        int warmupDevices = 200;
        int warmupRate = 1500;
        int warmupMaxBlocks = 9;
        List<Integer> rates = List.of(2500, 1500, 1000);
        int seconds = 20;
        int drain = 240;
        int dhtNodes = 8;
        int readings = 10;
        boolean jfr = false;
        Map<String, String> props = new LinkedHashMap<>();
        String heap = "1g";
        Path root = Path.of(System.getProperty("bench.root", "")).toAbsolutePath();
        Path jar = Path.of(System.getProperty(
                "bench.jar",
                root.resolve("src/gateway/target/quarkus-app/quarkus-run.jar").toString()));
        // the gateway as the image runs it (the collector run-java.sh chooses from the image's ENV)
        List<String> jvmOptions = RunJava.gcOptions(root.resolve("docker/gateway.Dockerfile"));
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--devices" -> devices = positive(a, value(args, ++i, a));
                case "--batches-per-device" -> perDevice = positive(a, value(args, ++i, a));
                case "--warmup-devices" -> {
                    warmupDevices = integer(a, value(args, ++i, a));
                    if (warmupDevices < 0) {
                        throw new IllegalArgumentException("--warmup-devices must not be negative");
                    }
                }
                case "--warmup-rate" -> warmupRate = positive(a, value(args, ++i, a));
                case "--warmup-max-blocks" -> warmupMaxBlocks = positive(a, value(args, ++i, a));
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
                case "--gateway-jvm-opts" -> {
                    String opts = value(args, ++i, a).trim();
                    jvmOptions = opts.isEmpty() ? List.of() : List.of(opts.split("\\s+"));
                }
                case "--jfr" -> jfr = true;
                default -> throw new IllegalArgumentException("unknown option " + a + "\n\n" + USAGE);
            }
        }
        if (dhtNodes < 2) {
            throw new IllegalArgumentException("--dht-nodes must be at least 2 (a writer and a storing node)");
        }
        return new BenchOptions(
                devices,
                perDevice,
                warmupDevices,
                warmupRate,
                warmupMaxBlocks,
                rates,
                Duration.ofSeconds(seconds),
                Duration.ofSeconds(drain),
                dhtNodes,
                readings,
                jfr,
                Map.copyOf(props),
                heap,
                jvmOptions,
                jar,
                root.resolve("camel-routes"),
                root.resolve("bench-results"),
                List.of(args));
    }

    /** Phase B entries each device needs pre-sealed, over every rate. */
    int liveEntriesPerDevice() {
        long total = 0;
        for (int rate : rates) {
            total += (long) Math.ceil((double) rate * duration.toSeconds() / devices);
        }
        return Math.toIntExact(total);
    }

    /** Entries each warm-up device publishes per block of {@value GatewayBench#WARMUP_BLOCK_SECONDS} s; 0 without a warm-up. */
    int warmupPerBlock() {
        return warmupDevices == 0
                ? 0
                : (int) Math.ceil((double) warmupRate * GatewayBench.WARMUP_BLOCK_SECONDS / warmupDevices);
    }

    /** Warm-up entries each warm-up device needs pre-sealed: enough for every block there may be. */
    int warmupEntriesPerDevice() {
        return Math.multiplyExact(warmupPerBlock(), warmupMaxBlocks);
    }

    String command() {
        return "bin/bench-gateway" + (commandLine.isEmpty() ? "" : " " + String.join(" ", commandLine));
    }
}
