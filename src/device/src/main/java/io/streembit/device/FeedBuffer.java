package io.streembit.device;

import io.streembit.protocol.feed.FeedChain;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongPredicate;

/**
 * The device's durable record of its feed: every sealed entry, kept until the gateway's ack
 * covers it, plus where the hash chain stands, so that a restarted device continues at
 * {@code n + 1} with the right {@code prev} and republishes what is still unacknowledged.
 *
 * <p>Two files in the buffer directory. {@value #ENTRIES} is append-only, one line per entry,
 * {@code <n> <exp> <record token>}; an entry is written (and with {@code sync}, forced to disk)
 * before it is sent, so nothing the network may hold is missing here. {@value #STATE} holds the
 * watermarks, {@code released <n>} (every entry up to n is acknowledged, dropped or expired)
 * and {@code acked <n>}, replaced atomically. Only offsets of unreleased entries stay in memory;
 * tokens are read back from the file when republished. The file is compacted when released
 * lines outnumber live ones; the last entry is always kept, since the chain continues from it.
 *
 * <p>A process killed mid-write leaves at most one unterminated last line: it is cut off at
 * open (that entry was never sent, as sending follows the write). Any other damage refuses to
 * open: guessing would fork the chain.
 */
final class FeedBuffer implements Closeable {
    static final String ENTRIES = "feed.log";
    static final String STATE = "feed.state";
    private static final int COMPACT_MIN_DEAD = 1024;

    /** Where an unreleased entry sits in the entries file. */
    record Slot(long n, long exp, long offset, int length) {}

    private final Path dir;
    private final boolean sync;
    private final TreeMap<Long, Slot> live = new TreeMap<>();
    private FileChannel channel;
    private long size;
    private long lines;
    private FeedChain chain = FeedChain.genesis();
    private Slot last;
    private long released;
    private long acked;

    private FeedBuffer(Path dir, boolean sync) {
        this.dir = dir;
        this.sync = sync;
    }

    static FeedBuffer open(Path dir, boolean sync) throws IOException {
        Files.createDirectories(dir);
        FeedBuffer buffer = new FeedBuffer(dir, sync);
        buffer.readState();
        buffer.restore();
        return buffer;
    }

    /** The chain state the next entry extends. */
    synchronized FeedChain chain() {
        return chain;
    }

    /** The last entry's n (0 before the first). */
    synchronized long lastN() {
        return chain.lastN();
    }

    /** Entries not yet acknowledged (nor dropped or expired). */
    synchronized int size() {
        return live.size();
    }

    synchronized long released() {
        return released;
    }

    synchronized long acked() {
        return acked;
    }

    /** Appends entry {@code n}, which must be the next one, and moves the chain past it. */
    synchronized void append(long n, long exp, String token) throws IOException {
        if (n != chain.lastN() + 1) {
            throw new IllegalStateException("entry " + n + " does not follow entry " + chain.lastN());
        }
        byte[] line = (n + " " + exp + " " + token + "\n").getBytes(StandardCharsets.US_ASCII);
        write(line);
        Slot slot = new Slot(n, exp, size, line.length - 1);
        size += line.length;
        lines++;
        live.put(n, slot);
        last = slot;
        chain = FeedChain.after(n, token);
    }

    /**
     * Starts an empty buffer after entry {@code n} found in the network (a device whose buffer
     * directory was lost): the entry is recorded as released, so only the chain moves.
     */
    synchronized void adopt(long n, long exp, String token) throws IOException {
        if (chain.lastN() != 0) {
            throw new IllegalStateException("the buffer already has a chain");
        }
        byte[] line = (n + " " + exp + " " + token + "\n").getBytes(StandardCharsets.US_ASCII);
        write(line);
        last = new Slot(n, exp, size, line.length - 1);
        size += line.length;
        lines++;
        chain = FeedChain.after(n, token);
        released = n;
        acked = Math.max(acked, n);
        writeState();
    }

    /** The token of an unreleased entry, or null when it was released meanwhile. */
    synchronized String token(long n) throws IOException {
        Slot slot = live.get(n);
        return slot == null ? null : read(slot);
    }

    /** The oldest unreleased entries whose n {@code wanted} accepts, at most {@code limit}. */
    synchronized List<Slot> select(LongPredicate wanted, int limit) {
        List<Slot> out = new ArrayList<>(Math.min(limit, live.size()));
        for (Slot slot : live.values()) {
            if (out.size() >= limit) {
                break;
            }
            if (wanted.test(slot.n())) {
                out.add(slot);
            }
        }
        return out;
    }

    /**
     * Records the gateway's ack of every entry up to {@code n} (capped at the last entry: an ack
     * from beyond it cannot cover entries not yet written). Returns how many entries it released.
     */
    synchronized int ack(long n) throws IOException {
        long upTo = Math.min(n, chain.lastN());
        if (upTo <= acked) {
            return 0;
        }
        acked = upTo;
        return releaseThrough(upTo);
    }

    /** Drops the oldest unreleased entry (buffer full, DROP_OLDEST); returns its n, or -1. */
    synchronized long dropOldest() throws IOException {
        if (live.isEmpty()) {
            return -1;
        }
        long n = live.firstKey();
        releaseThrough(n);
        return n;
    }

    /**
     * Releases the oldest entries whose {@code exp} has passed: no node stores them any more, so
     * republishing is useless. Stops at the first live one, keeping the released set a prefix.
     */
    synchronized int expire(long nowSeconds) throws IOException {
        long upTo = released;
        for (Slot slot : live.values()) {
            if (slot.exp() > nowSeconds) {
                break;
            }
            upTo = slot.n();
        }
        return upTo > released ? releaseThrough(upTo) : 0;
    }

    private int releaseThrough(long n) throws IOException {
        Map<Long, Slot> head = live.headMap(n, true);
        int count = head.size();
        head.clear();
        released = Math.max(released, n);
        writeState();
        long dead = lines - live.size();
        if (dead > COMPACT_MIN_DEAD && dead > live.size()) {
            compact();
        }
        return count;
    }

    private void write(byte[] line) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(line);
        long position = size;
        while (buf.hasRemaining()) {
            position += channel.write(buf, position);
        }
        if (sync) {
            channel.force(false);
        }
    }

    private String read(Slot slot) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(slot.length());
        long position = slot.offset();
        while (buf.hasRemaining()) {
            int read = channel.read(buf, position);
            if (read < 0) {
                throw new IOException("feed buffer truncated under entry " + slot.n());
            }
            position += read;
        }
        String line = new String(buf.array(), StandardCharsets.US_ASCII);
        return line.substring(line.indexOf(' ', line.indexOf(' ') + 1) + 1);
    }

    private void readState() throws IOException {
        Path file = dir.resolve(STATE);
        if (!Files.exists(file)) {
            return;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            String[] parts = line.trim().split(" ");
            if (parts.length != 2) {
                throw new IOException("corrupt " + file + ": '" + line + "'");
            }
            long value = parseLong(parts[1], file);
            switch (parts[0]) {
                case "released" -> released = value;
                case "acked" -> acked = value;
                default -> throw new IOException("corrupt " + file + ": '" + line + "'");
            }
        }
    }

    private void writeState() throws IOException {
        Path temp = dir.resolve(STATE + ".tmp");
        byte[] text = ("released " + released + "\nacked " + acked + "\n").getBytes(StandardCharsets.US_ASCII);
        try (FileChannel out = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(text);
            while (buf.hasRemaining()) {
                out.write(buf);
            }
            if (sync) {
                out.force(true);
            }
        }
        Files.move(temp, dir.resolve(STATE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void restore() throws IOException {
        Path file = dir.resolve(ENTRIES);
        long fileSize = Files.exists(file) ? Files.size(file) : 0;
        long offset = 0;
        long good = 0;
        String lastToken = null;
        if (fileSize > 0) {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(Files.newInputStream(file), StandardCharsets.US_ASCII), 1 << 16)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    boolean terminated = offset + line.length() + 1 <= fileSize;
                    Slot slot = terminated ? parse(line, offset) : null;
                    if (slot == null) {
                        if (!terminated || offset + line.length() + 1 >= fileSize) {
                            break; // a torn last line: never sent, since sending follows the write
                        }
                        throw new IOException("corrupt feed buffer " + file + " at byte " + offset);
                    }
                    if (last != null && slot.n() != last.n() + 1) {
                        throw new IOException(
                                "feed buffer " + file + " jumps from entry " + last.n() + " to " + slot.n());
                    }
                    last = slot;
                    lastToken = line.substring(line.indexOf(' ', line.indexOf(' ') + 1) + 1);
                    if (slot.n() > released) {
                        live.put(slot.n(), slot);
                    }
                    lines++;
                    offset += line.length() + 1;
                    good = offset;
                }
            }
        }
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (good < fileSize) {
            channel.truncate(good);
            channel.force(true);
        }
        size = good;
        if (last != null) {
            chain = FeedChain.after(last.n(), lastToken);
            acked = Math.min(acked, last.n());
        }
    }

    /** One entries-file line, or null when it is not one (a torn write). */
    private static Slot parse(String line, long offset) {
        int first = line.indexOf(' ');
        int second = first < 0 ? -1 : line.indexOf(' ', first + 1);
        if (second < 0) {
            return null;
        }
        try {
            long n = Long.parseLong(line.substring(0, first));
            long exp = Long.parseLong(line.substring(first + 1, second));
            String token = line.substring(second + 1);
            if (n < 1 || !token.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{86}")) {
                return null;
            }
            return new Slot(n, exp, offset, line.length());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private void compact() throws IOException {
        Path temp = dir.resolve(ENTRIES + ".tmp");
        TreeMap<Long, Slot> kept = new TreeMap<>(live);
        kept.put(last.n(), last);
        TreeMap<Long, Slot> moved = new TreeMap<>();
        long offset = 0;
        try (FileChannel out = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (Slot slot : kept.values()) {
                byte[] line =
                        (slot.n() + " " + slot.exp() + " " + read(slot) + "\n").getBytes(StandardCharsets.US_ASCII);
                ByteBuffer buf = ByteBuffer.wrap(line);
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
                moved.put(slot.n(), new Slot(slot.n(), slot.exp(), offset, line.length - 1));
                offset += line.length;
            }
            out.force(true);
        }
        channel.close();
        Files.move(temp, dir.resolve(ENTRIES), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        channel = FileChannel.open(dir.resolve(ENTRIES), StandardOpenOption.READ, StandardOpenOption.WRITE);
        live.replaceAll((n, slot) -> moved.get(n));
        last = moved.get(last.n());
        size = offset;
        lines = kept.size();
    }

    private static long parseLong(String text, Path file) throws IOException {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IOException("corrupt " + file + ": '" + text + "'");
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
