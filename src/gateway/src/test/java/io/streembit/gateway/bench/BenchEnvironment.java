package io.streembit.gateway.bench;

import io.streembit.gateway.testing.EmbeddedPostgres;
import io.streembit.gateway.testing.GatewayProcess;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * What every gateway benchmark runs against, started in this order and stopped in reverse: an
 * embedded PostgreSQL, the harness's DHT nodes, the packaged gateway as its own process (waited
 * for until /q/health/ready answers), and the harness's own connection to the database. The
 * gateway's and PostgreSQL's pids go to the pid file, so bin/lib/bench-harness.sh stops them
 * when this JVM is killed outright. A start that fails half-way stops what it had started.
 * With {@code statements}, PostgreSQL loads pg_stat_statements (a restart before the gateway
 * connects) so that a harness can list what the gateway's statements cost ({@link Db#statements}).
 */
final class BenchEnvironment implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    /** The gateway process, configured for this PostgreSQL and these DHT seeds, not started yet. */
    interface GatewayFactory {
        GatewayProcess create(EmbeddedPostgres pg, List<String> seeds, Path workDir);
    }

    final EmbeddedPostgres pg;
    final BenchDht dht;
    final GatewayProcess gateway;
    final Db db;
    final long postgresMillis;
    final long dhtMillis;
    final long gatewayReadyMillis;
    private final Deque<AutoCloseable> started;

    private BenchEnvironment(
            EmbeddedPostgres pg,
            BenchDht dht,
            GatewayProcess gateway,
            Db db,
            long[] millis,
            Deque<AutoCloseable> started) {
        this.pg = pg;
        this.dht = dht;
        this.gateway = gateway;
        this.db = db;
        this.postgresMillis = millis[0];
        this.dhtMillis = millis[1];
        this.gatewayReadyMillis = millis[2];
        this.started = started;
    }

    /** {@code step} is told what starts next (the harness prints it). */
    static BenchEnvironment start(int dhtNodes, GatewayFactory factory, Path log, Consumer<String> step)
            throws Exception {
        return start(dhtNodes, false, factory, log, step);
    }

    static BenchEnvironment start(
            int dhtNodes, boolean statements, GatewayFactory factory, Path log, Consumer<String> step)
            throws Exception {
        Deque<AutoCloseable> started = new ArrayDeque<>();
        long[] millis = new long[3];
        started.push(Pids::clear); // popped last: the pids stay recorded until both processes are stopped
        try {
            long t = System.nanoTime();
            step.accept("starting PostgreSQL");
            EmbeddedPostgres pg = EmbeddedPostgres.startNew(EmbeddedPostgres.DURABLE);
            started.push(pg);
            if (statements) {
                Db.loadStatementStatistics(pg);
            }
            millis[0] = GatewayBench.millisSince(t);
            t = System.nanoTime();
            step.accept("starting " + dhtNodes + " DHT nodes");
            BenchDht dht = new BenchDht(dhtNodes);
            started.push(dht);
            millis[1] = GatewayBench.millisSince(t);
            t = System.nanoTime();
            Path work = GatewaySetup.tempDir();
            started.push(() -> TempDirs.delete(work));
            step.accept("starting the gateway (log: " + log + ")");
            GatewayProcess gateway = factory.create(pg, dht.seeds(), work);
            started.push(gateway);
            gateway.start();
            gateway.awaitReady(READY_TIMEOUT);
            millis[2] = GatewayBench.millisSince(t);
            Db db = new Db(pg);
            started.push(db);
            Pids.write(gateway.pid(), db.postmasterPid(), db.dataDirectory().getParent());
            return new BenchEnvironment(pg, dht, gateway, db, millis, started);
        } catch (Exception | Error e) {
            closeAll(started, e);
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        closeAll(started, null);
    }

    private static void closeAll(Deque<AutoCloseable> started, Throwable primary) throws Exception {
        Exception first = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                if (primary != null) {
                    primary.addSuppressed(e);
                } else if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
