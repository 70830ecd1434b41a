package io.streembit.gateway.store;

import io.streembit.gateway.ingest.VerifiedBatch;
import io.streembit.protocol.Json;
import io.streembit.protocol.feed.Reading;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Writes verified batches into {@code readings} and moves each device's cursor in the same
 * transaction. Group commit: one writer thread takes every batch waiting (up to a limit) into
 * one transaction of two statements over arrays, so thousands of small batches a second cost a
 * few commits, not thousands. The cursors move first: that locks the devices' rows and says
 * which devices are still active and behind the group, so only their readings are inserted (a
 * revocation takes effect at its commit; a join per reading cost PostgreSQL 15 % more). {@code
 * ON CONFLICT DO NOTHING} on (device, seq, index) makes a replay after a crash write nothing
 * twice. A failed transaction fails every batch in it; their followers try them again.
 *
 * <p>A transaction costs PostgreSQL about as much as three to four batches' readings (the
 * commit's WAL flush, three statements; bin/bench-commit-cost), so at moderate rates, where a batch
 * rarely waits for another, a group of one or two would spend most of the server's time on
 * commits. A writer therefore lingers, at most {@code linger} after the group's first batch
 * arrived, while more batches are likely to come: while more are in flight towards it
 * ({@code inFlight} exceeds the group it holds), or while several devices are publishing (two
 * batches in a row from different devices arrived within four lingers). A single device catching
 * up on its own is never held: its next batch cannot come before this one is committed, and its
 * batches follow each other with nothing in between. Under load the queue fills a group before the
 * linger matters.
 *
 * <p>Several writers may commit at once, each taking the next group from the shared queue, so
 * that PostgreSQL works on one group while the next is gathered. That keeps each device's order:
 * a follower hands over a device's next batch only when the previous one is committed, and should
 * two transactions ever hold the same device, the cursor's row lock orders them and the later
 * one finds the cursor already there and writes nothing for it (a deadlock between two such
 * transactions fails one, whose batches are tried again).
 */
public final class ReadingsWriter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ReadingsWriter.class);

    // to_timestamp takes float8 either way: `x.t / 1000.0` divided in numeric first, which gives the
    // same float8 (IEEE division is correctly rounded) for 0.3 µs more per value, two values a row.
    static final String INSERT_READINGS = """
            INSERT INTO readings (device_id, seq, idx, name, ts, value, received_at)
            SELECT x.d, x.s, x.i, x.n, to_timestamp(x.t::float8 / 1000), x.v::jsonb, to_timestamp(x.r::float8 / 1000)
            FROM unnest(?::text[], ?::bigint[], ?::int[], ?::text[], ?::bigint[], ?::text[], ?::bigint[])
                 AS x(d, s, i, n, t, v, r)
            ON CONFLICT DO NOTHING""";

    private record Pending(VerifiedBatch batch, CompletableFuture<Void> done, long queuedNanos) {}

    /**
     * @param maxBatchesPerTransaction batches committed together at most
     * @param writers                  group commits in flight at once, each on its own connection
     * @param linger                   longest wait for more batches, while more are likely, before a
     *                                 group is committed ({@link Duration#ZERO}: never wait)
     */
    public record Settings(int maxBatchesPerTransaction, int writers, Duration linger) {
        public Settings {
            if (maxBatchesPerTransaction < 1 || writers < 1) {
                throw new IllegalArgumentException(
                        "a readings writer needs at least one writer and one batch per transaction");
            }
            if (linger.isNegative()) {
                throw new IllegalArgumentException("the commit linger cannot be negative");
            }
        }
    }

    /** What one commit held, for metrics. */
    public record Commit(int batches, int readings, long nanos) {}

    private final DataSource dataSource;
    private final DeviceCursors cursors;
    private final int maxBatches;
    private final long lingerNanos;
    private final IntSupplier inFlight;
    private final Consumer<Commit> onCommit;
    private final CommitStep step;
    private final WriterClock clock;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;
    // Several devices are publishing while batches from different devices follow each other; a
    // heuristic, so racing updates from the routing threads are harmless.
    private volatile String lastDevice;
    private volatile long otherDeviceNanos;

    /**
     * @param inFlight batches routed or being routed and not yet finished, those in the writer's
     *                 hands included (the ingest's in-flight count)
     */
    public ReadingsWriter(
            DataSource dataSource,
            DeviceCursors cursors,
            Settings settings,
            IntSupplier inFlight,
            Consumer<Commit> onCommit,
            CommitStep step,
            WriterClock clock) {
        int maxBatchesPerTransaction = settings.maxBatchesPerTransaction();
        int writers = settings.writers();
        Duration linger = settings.linger();
        this.dataSource = dataSource;
        this.cursors = cursors;
        this.clock = clock;
        this.otherDeviceNanos = clock.nanoTime() - TimeUnit.DAYS.toNanos(1);
        this.maxBatches = maxBatchesPerTransaction;
        this.lingerNanos = linger.toNanos();
        this.inFlight = inFlight;
        this.onCommit = onCommit;
        this.step = step;
        for (int i = 1; i <= writers; i++) {
            Thread thread = new Thread(
                    this::run, writers == 1 ? "streembit-readings-writer" : "streembit-readings-writer-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
    }

    /**
     * Completes when the batch's readings and its cursor are committed; fails with
     * {@link StoreUnavailable} when the transaction failed, or with {@link WriterClosed} when the
     * writer closed first (the follower tries the batch again either way), or with {@link Fenced}
     * when this replica no longer owns the device's shard (nothing of the batch was written).
     */
    public CompletableFuture<Void> write(VerifiedBatch batch) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(new WriterClosed());
            return done;
        }
        long now = clock.nanoTime();
        String previous = lastDevice;
        if (!batch.deviceId().equals(previous)) {
            lastDevice = batch.deviceId();
            if (previous != null) {
                otherDeviceNanos = now;
            }
        }
        Pending pending = new Pending(batch, done, now);
        queue.add(pending);
        // close() may have drained the queue between the check above and the add: then nobody else will
        if (closed && queue.remove(pending)) {
            done.completeExceptionally(new WriterClosed());
        }
        return done;
    }

    /** The writer was closed (the gateway is stopping) before it committed a batch. */
    public static final class WriterClosed extends IllegalStateException {
        WriterClosed() {
            super("readings writer closed");
        }
    }

    private void run() {
        List<Pending> group = new ArrayList<>(maxBatches);
        while (!closed) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, maxBatches - 1);
                linger(group, first.queuedNanos() + lingerNanos);
                commit(group);
            } catch (InterruptedException e) {
                // close() gave up waiting for this group: it fails, and its followers try it again
                group.forEach(p -> p.done().completeExceptionally(new WriterClosed()));
                Thread.currentThread().interrupt();
                break;
            } finally {
                group.clear();
            }
        }
        failWaiting();
    }

    private void failWaiting() {
        Pending left;
        while ((left = queue.poll()) != null) {
            left.done().completeExceptionally(new WriterClosed());
        }
    }

    /** Adds the batches that arrive before {@code deadline} while more are likely to come and there is room. */
    private void linger(List<Pending> group, long deadline) throws InterruptedException {
        while (group.size() < maxBatches && !closed && moreLikely(group)) {
            long left = deadline - clock.nanoTime();
            if (left <= 0) {
                return;
            }
            Pending next = clock.poll(queue, left);
            if (next == null) {
                return;
            }
            group.add(next);
            queue.drainTo(group, maxBatches - group.size());
        }
    }

    private boolean moreLikely(List<Pending> group) {
        return inFlight.getAsInt() > group.size() || clock.nanoTime() - otherDeviceNanos < 4 * lingerNanos;
    }

    private void commit(List<Pending> group) {
        long start = System.nanoTime();
        int readings;
        Runnable afterCommit;
        Set<String> fenced;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                DeviceCursors.Moved moves = cursors.move(c, lastOfEachDevice(group));
                Set<String> advanced = moves.moved();
                fenced = moves.fenced();
                readings = insert(c, group, advanced);
                afterCommit = step.apply(c, moved(group, advanced));
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("readings transaction failed", e);
            // one exception per batch: each travels its own exchange, which may add to it
            group.forEach(
                    p -> p.done().completeExceptionally(new StoreUnavailable("PostgreSQL: " + e.getMessage(), e)));
            return;
        }
        onCommit.accept(new Commit(group.size(), readings, System.nanoTime() - start));
        afterCommit.run();
        for (Pending p : group) {
            if (fenced.contains(p.batch().deviceId())) {
                p.done().completeExceptionally(new Fenced(p.batch().deviceId())); // nothing of it was written
            } else {
                p.done().complete(null);
            }
        }
    }

    private static List<VerifiedBatch> moved(List<Pending> group, Set<String> advanced) {
        List<VerifiedBatch> moved = new ArrayList<>(group.size());
        for (Pending p : group) {
            if (advanced.contains(p.batch().deviceId())) {
                moved.add(p.batch());
            }
        }
        return moved;
    }

    /** Inserts the readings of the batches whose device's cursor moved in this transaction. */
    private static int insert(Connection c, List<Pending> group, Set<String> advanced) throws SQLException {
        int count = 0;
        for (Pending p : group) {
            if (advanced.contains(p.batch().deviceId())) {
                count += p.batch().readings().size();
            }
        }
        String[] device = new String[count];
        Long[] seq = new Long[count];
        Integer[] index = new Integer[count];
        String[] name = new String[count];
        Long[] ts = new Long[count];
        String[] value = new String[count];
        Long[] received = new Long[count];
        int row = 0;
        for (Pending p : group) {
            VerifiedBatch b = p.batch();
            if (!advanced.contains(b.deviceId())) {
                continue; // revoked, or a replay of batches the cursor already covers
            }
            List<Reading> list = b.readings();
            long receivedMillis = b.receivedAt().toEpochMilli();
            for (int i = 0; i < list.size(); i++) {
                Reading r = list.get(i);
                device[row] = b.deviceId();
                seq[row] = b.seq();
                index[row] = i;
                name[row] = r.name();
                ts[row] = r.ts();
                value[row] = Json.text(r.value());
                received[row] = receivedMillis;
                row++;
            }
        }
        if (count == 0) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_READINGS)) {
            bind(c, ps, 1, "text", device);
            bind(c, ps, 2, "bigint", seq);
            bind(c, ps, 3, "int", index);
            bind(c, ps, 4, "text", name);
            bind(c, ps, 5, "bigint", ts);
            bind(c, ps, 6, "text", value);
            bind(c, ps, 7, "bigint", received);
            ps.executeUpdate();
        }
        return count;
    }

    /**
     * One cursor move per device, to its highest seq in the group. A device whose cursor is
     * already there (a replay) or that was revoked does not move, and its readings are left out:
     * batches at or below a cursor were committed (or quarantined) with it.
     */
    private static Collection<DeviceCursors.Move> lastOfEachDevice(List<Pending> group) {
        Map<String, DeviceCursors.Move> last = new HashMap<>();
        for (Pending p : group) {
            VerifiedBatch b = p.batch();
            last.merge(
                    b.deviceId(),
                    new DeviceCursors.Move(b.deviceId(), b.seq(), b.tokenHash(), b.receivedAt()),
                    (x, y) -> x.seq() >= y.seq() ? x : y);
        }
        return last.values();
    }

    private static void bind(Connection c, PreparedStatement ps, int index, String type, Object[] values)
            throws SQLException {
        Array array = c.createArrayOf(type, values);
        ps.setArray(index, array);
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it
        }
    }

    /**
     * Stops taking batches, lets the writers finish the group each holds, and fails what is still
     * queued with {@link WriterClosed}: no future is left pending.
     */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        for (Thread thread : threads) {
            thread.join(5_000);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(1_000);
            }
        }
        failWaiting();
    }
}
