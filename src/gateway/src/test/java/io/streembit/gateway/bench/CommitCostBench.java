package io.streembit.gateway.bench;

import com.fasterxml.jackson.databind.node.DoubleNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streembit.device.Things;
import io.streembit.gateway.cluster.ShardEpochs;
import io.streembit.gateway.cluster.Shards;
import io.streembit.gateway.ingest.BatchOpener;
import io.streembit.gateway.ingest.ServedDevice;
import io.streembit.gateway.ingest.TestBatches;
import io.streembit.gateway.ingest.VerifiedBatch;
import io.streembit.gateway.store.CommitStep;
import io.streembit.gateway.store.DeviceCursors;
import io.streembit.gateway.store.ReadingsWriter;
import io.streembit.gateway.store.WriterClock;
import io.streembit.gateway.testing.EmbeddedPostgres;
import io.streembit.gateway.testing.GatewaySchema;
import io.streembit.protocol.feed.FeedChain;
import io.streembit.protocol.feed.Reading;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.td.ThingDescription;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What one readings transaction costs PostgreSQL, by the number of batches in it: the real
 * {@link ReadingsWriter} against the benchmarks' durable embedded PostgreSQL, 10 readings a batch,
 * groups of exactly the size asked for (the writer lingers until all of a group are in). Prints
 * PostgreSQL's CPU per batch and per transaction for each size; the figures behind the commit
 * linger (docs/benchmarks.md, "Readings transactions").
 *
 * <pre>
 *   bin/bench-commit-cost                       # sizes 1,2,5,10,50; 4,000 batches each
 *   bin/bench-commit-cost --sizes 1,10 --batches 2000
 *   bin/bench-commit-cost --no-fsync             # zonky's test settings: fsync and synchronous_commit off
 *   bin/bench-commit-cost --fenced               # a cluster member's transactions: the shard fence checked in each
 * </pre>
 */
public final class CommitCostBench {
    private static final int DEVICES = 1_000;
    private static final Instant NOW = Instant.now();

    private CommitCostBench() {}

    public static void main(String[] args) throws Exception {
        try {
            measure(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    private static void measure(String[] args) throws Exception {
        List<Integer> sizes = List.of(1, 2, 5, 10, 50);
        int batches = 4_000;
        boolean durable = true;
        boolean fenced = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sizes" -> sizes = parseSizes(BenchCli.value(args, ++i, "--sizes"));
                case "--batches" -> batches = BenchCli.positive("--batches", BenchCli.value(args, ++i, "--batches"));
                case "--no-fsync" -> durable = false;
                case "--fenced" -> fenced = true;
                case "--help", "-h" -> {
                    System.out.println(
                            "bin/bench-commit-cost [--sizes 1,2,5,10,50] [--batches 4000] [--no-fsync] [--fenced]");
                    return;
                }
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        try (EmbeddedPostgres pg = EmbeddedPostgres.startNew(durable ? EmbeddedPostgres.DURABLE : Map.of());
                Db db = new Db(pg)) {
            DataSource dataSource = oneConnection(GatewaySchema.create(pg));
            Fleet fleet = new Fleet(dataSource);
            DeviceCursors cursors = fenced
                    ? new DeviceCursors(dataSource, holdingEveryShard(dataSource))
                    : new DeviceCursors(dataSource);
            System.out.println(
                    fenced
                            ? "cursor moves fenced: a cluster member holding all 64 shards"
                            : "single replica: no fence");
            CpuClock clock = new CpuClock(ProcessHandle.current().pid(), db.postmasterPid());
            System.out.println("PostgreSQL: " + db.settings());
            System.out.println();
            System.out.println(
                    "| batches per transaction | transactions | PostgreSQL CPU per batch (µs) | per transaction (µs) |");
            System.out.println("| ---: | ---: | ---: | ---: |");
            for (int size : sizes) {
                int groups = Math.max(1, batches / size);
                run(
                        dataSource,
                        cursors,
                        fleet.groups(size, Math.max(1, groups / 5)),
                        size); // warm-up: plans cached, JIT
                List<List<VerifiedBatch>> sealed = fleet.groups(size, groups);
                CpuClock.Sample before = clock.sample();
                run(dataSource, cursors, sealed, size);
                double cpu = clock.sample().minus(before).postgres();
                System.out.printf(
                        "| %d | %,d | %.0f | %.0f |%n", size, groups, cpu * 1e6 / (groups * size), cpu * 1e6 / groups);
            }
        }
    }

    /**
     * The fence of a cluster member that was granted every shard: each transaction then pays the
     * check a cluster runs (the shards' rows locked FOR SHARE and their epochs compared) and
     * passes it, as an owner's writes do.
     */
    private static ShardEpochs holdingEveryShard(DataSource dataSource) throws SQLException {
        Shards shards = new Shards(64);
        ShardEpochs epochs =
                ShardEpochs.open(dataSource, "bench-commit-cost", shards, "bench", new SimpleMeterRegistry());
        for (int shard = 0; shard < shards.count(); shard++) {
            epochs.grant(shard);
        }
        return epochs;
    }

    /** Commits each group in turn: the writer waits until all {@code size} of it are in. */
    private static void run(DataSource dataSource, DeviceCursors cursors, List<List<VerifiedBatch>> groups, int size)
            throws Exception {
        ReadingsWriter writer = new ReadingsWriter(
                dataSource,
                cursors,
                new ReadingsWriter.Settings(size, 1, Duration.ofSeconds(5)),
                () -> size,
                c -> {},
                CommitStep.NONE,
                WriterClock.SYSTEM);
        try {
            for (List<VerifiedBatch> group : groups) {
                List<CompletableFuture<Void>> done = new ArrayList<>(group.size());
                group.forEach(b -> done.add(writer.write(b)));
                CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            }
        } finally {
            writer.close();
        }
    }

    /**
     * One open connection, handed out for every transaction as the gateway's pool would: a new
     * connection per transaction would measure PostgreSQL forking a backend (3 ms), not the commit.
     */
    private static DataSource oneConnection(DataSource source) throws SQLException {
        Connection real = source.getConnection();
        Connection kept = (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return (DataSource) Proxy.newProxyInstance(
                DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        return kept;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static List<Integer> parseSizes(String text) {
        List<Integer> sizes = new ArrayList<>();
        for (String s : text.split(",")) {
            int size = BenchCli.positive("--sizes", s.trim());
            if (size > DEVICES) {
                throw new IllegalArgumentException(
                        "--sizes: at most " + DEVICES + " batches (one per device) a transaction");
            }
            sizes.add(size);
        }
        return sizes;
    }

    /** Registered devices whose next feed entries are sealed and opened as the gateway would. */
    private static final class Fleet {
        private final List<ServedDevice> served = new ArrayList<>();
        private final List<Identity> keys = new ArrayList<>();
        private final List<FeedChain> chains = new ArrayList<>();
        private final Identity gateway;
        private final List<Reading> readings = new ArrayList<>();
        private int next;

        Fleet(DataSource dataSource) throws Exception {
            SecureRandom random = new SecureRandom();
            gateway = Identity.generate(random);
            for (int i = 0; i < 10; i++) {
                readings.add(new Reading(
                        "temperature", NOW.toEpochMilli() - 1_000 + i * 100L, DoubleNode.valueOf(20 + i / 4.0)));
            }
            for (int i = 0; i < DEVICES; i++) {
                Identity device = Identity.generate(random);
                ThingDescription td = Things.forDevice("thermostat", device.account());
                GatewaySchema.register(dataSource, device, td.id());
                keys.add(device);
                served.add(new ServedDevice(device.account(), device.publicKey(), td, 0, null));
                chains.add(FeedChain.genesis());
            }
        }

        /** {@code count} groups of {@code size} batches, each group of as many devices, in feed order. */
        List<List<VerifiedBatch>> groups(int size, int count) {
            List<List<VerifiedBatch>> groups = new ArrayList<>(count);
            for (int g = 0; g < count; g++) {
                List<VerifiedBatch> group = new ArrayList<>(size);
                for (int b = 0; b < size; b++) {
                    int d = next;
                    next = (next + 1) % DEVICES;
                    BatchOpener.Opened opened =
                            TestBatches.open(served.get(d), keys.get(d), gateway, chains.get(d), readings, NOW);
                    chains.set(d, opened.next());
                    group.add(opened.batch());
                }
                groups.add(group);
            }
            return groups;
        }
    }
}
