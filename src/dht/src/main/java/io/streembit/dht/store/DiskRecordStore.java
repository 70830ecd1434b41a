package io.streembit.dht.store;

import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.record.RecordValidator;
import io.streembit.protocol.record.StoreDecision;
import io.streembit.protocol.record.VerifiedRecord;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.logging.Logger;

/**
 * A durable store: the in-memory store plus an append-only journal ({@code records.journal},
 * one {@code <key hex> <token>} line per stored record). At start the journal is replayed
 * through the full record validation (so a tampered or expired line is dropped, never
 * trusted) and rewritten compacted; it is compacted again when it grows past four times the
 * live records. Writes go to the OS on every put and are forced to disk by {@link #sync()}
 * (the node calls it every second), bounding what a power cut can lose.
 */
public final class DiskRecordStore extends MemoryRecordStore {
    private static final Logger LOG = Logger.getLogger(DiskRecordStore.class.getName());
    static final String JOURNAL = "records.journal";

    private final Path journal;
    private BufferedWriter writer;
    private long journalLines;
    private long liveRecords;

    private DiskRecordStore(Path dir, RetentionLimits limits) {
        super(limits);
        this.journal = dir.resolve(JOURNAL);
    }

    /** Opens (or creates) the store in {@code dir}, replaying and compacting its journal. */
    public static DiskRecordStore open(Path dir, RetentionLimits limits, RecordValidator validator, Clock clock) {
        try {
            Files.createDirectories(dir);
            DiskRecordStore store = new DiskRecordStore(dir, limits);
            store.replay(validator, clock);
            store.compact();
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open record store in " + dir, e);
        }
    }

    private void replay(RecordValidator validator, Clock clock) throws IOException {
        if (!Files.exists(journal)) {
            return;
        }
        int dropped = 0;
        for (String line : Files.readAllLines(journal, StandardCharsets.US_ASCII)) {
            int space = line.indexOf(' ');
            try {
                if (space < 0) {
                    throw new ProtocolException(io.streembit.protocol.ErrorCode.MALFORMED, "journal line");
                }
                NodeId key = NodeId.fromHex(line.substring(0, space));
                VerifiedRecord record = validator.validate(key, line.substring(space + 1), clock.instant());
                super.put(record);
            } catch (ProtocolException e) {
                dropped++;
            }
        }
        if (dropped > 0) {
            LOG.fine(() -> "record store replay dropped invalid or expired lines");
        }
    }

    private void compact() throws IOException {
        Path temp = journal.resolveSibling(JOURNAL + ".tmp");
        long lines = 0;
        try (BufferedWriter out = Files.newBufferedWriter(temp, StandardCharsets.US_ASCII)) {
            for (NodeId key : keys()) {
                for (VerifiedRecord r : all(key)) {
                    out.write(key.hex());
                    out.write(' ');
                    out.write(r.token());
                    out.write('\n');
                    lines++;
                }
            }
        }
        if (writer != null) {
            writer.close();
        }
        Files.move(temp, journal, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        writer = Files.newBufferedWriter(
                journal, StandardCharsets.US_ASCII, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        journalLines = lines;
        liveRecords = lines;
    }

    @Override
    public StoreDecision put(VerifiedRecord record) throws ProtocolException {
        StoreDecision decision = super.put(record);
        if (decision == StoreDecision.STORE) {
            try {
                writer.write(record.key().hex());
                writer.write(' ');
                writer.write(record.token());
                writer.write('\n');
                writer.flush();
                journalLines++;
                liveRecords++;
                if (journalLines > 1024 && journalLines > 4 * liveRecords) {
                    compact();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("record store write failed", e);
            }
        }
        return decision;
    }

    @Override
    protected void onDropped(VerifiedRecord record) {
        liveRecords--;
    }

    /** Forces written records to the disk. */
    public void sync() {
        try (var channel = java.nio.channels.FileChannel.open(journal, StandardOpenOption.WRITE)) {
            channel.force(false);
        } catch (IOException e) {
            LOG.warning("record store sync failed: " + e.getMessage());
        }
    }

    /** Number of lines in the journal (for tests of compaction). */
    long journalLines() {
        return journalLines;
    }

    @Override
    public void close() {
        try {
            if (writer != null) {
                writer.close();
            }
        } catch (IOException e) {
            LOG.warning("record store close failed: " + e.getMessage());
        }
    }

    static List<String> readJournal(Path dir) throws IOException {
        return Files.readAllLines(dir.resolve(JOURNAL), StandardCharsets.US_ASCII);
    }
}
