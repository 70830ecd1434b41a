package io.streembit.device;

import io.streembit.protocol.Base64Url;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.PublicKey;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the device remembers about commands across restarts, so that none runs twice: the ids it
 * has accepted (per signer, until the command's {@code exp} has passed; after that a replay is
 * refused as expired anyway) and, per controller queue, the next seq to read.
 *
 * <p>{@value #SEEN}: append-only lines {@code <exp> <signer account> <base64url of the id>},
 * written before the command executes (at most once: a crash between the write and the result
 * makes the redelivered command a duplicate, never a second execution). {@value #CURSORS}:
 * {@code <controller public key> <next seq>} lines, replaced atomically after each command.
 */
final class CommandLedger implements Closeable {
    static final String SEEN = "commands.seen";
    static final String CURSORS = "commands.cursor";
    /** Command queues start at seq 1, like feeds. */
    static final long FIRST_SEQ = 1;

    private final Path dir;
    private final boolean sync;
    private final Map<String, Long> seen = new HashMap<>();
    private final Map<String, Long> cursors = new TreeMap<>();
    private FileChannel seenFile;
    private long seenLines;

    private CommandLedger(Path dir, boolean sync) {
        this.dir = dir;
        this.sync = sync;
    }

    static CommandLedger open(Path dir, boolean sync, long nowSeconds) throws IOException {
        Files.createDirectories(dir);
        CommandLedger ledger = new CommandLedger(dir, sync);
        ledger.load(nowSeconds);
        return ledger;
    }

    synchronized boolean seen(PublicKey signer, String id) {
        return seen.containsKey(key(signer, id));
    }

    /** Remembers an accepted command id until {@code exp}; forced to disk before the command runs. */
    synchronized void markSeen(PublicKey signer, String id, long exp) throws IOException {
        seen.put(key(signer, id), exp);
        append(exp + " " + signer.nodeId().hex() + " " + Base64Url.encode(id.getBytes(StandardCharsets.UTF_8)) + "\n");
    }

    synchronized long cursor(PublicKey controller) {
        return cursors.getOrDefault(controller.hex(), FIRST_SEQ);
    }

    synchronized void advance(PublicKey controller, long nextSeq) throws IOException {
        if (nextSeq <= cursor(controller)) {
            return;
        }
        cursors.put(controller.hex(), nextSeq);
        StringBuilder text = new StringBuilder();
        cursors.forEach((pub, seq) -> text.append(pub).append(' ').append(seq).append('\n'));
        Path temp = dir.resolve(CURSORS + ".tmp");
        writeFile(temp, text.toString(), StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(temp, dir.resolve(CURSORS), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Forgets ids whose command expired before {@code nowSeconds}; compacts the file when mostly dead. */
    synchronized void prune(long nowSeconds) throws IOException {
        seen.values().removeIf(exp -> exp < nowSeconds);
        if (seenLines > 1024 && seenLines > 2L * seen.size()) {
            rewriteSeen(nowSeconds);
        }
    }

    synchronized int seenCount() {
        return seen.size();
    }

    private void load(long nowSeconds) throws IOException {
        Path cursorFile = dir.resolve(CURSORS);
        if (Files.exists(cursorFile)) {
            for (String line : Files.readAllLines(cursorFile, StandardCharsets.US_ASCII)) {
                String[] parts = line.split(" ");
                if (parts.length != 2) {
                    throw new IOException("corrupt " + cursorFile + ": '" + line + "'");
                }
                try {
                    PublicKey.fromHex(parts[0]);
                    cursors.put(parts[0], Long.parseLong(parts[1]));
                } catch (ProtocolException | NumberFormatException e) {
                    throw new IOException("corrupt " + cursorFile + ": '" + line + "'");
                }
            }
        }
        Path seenPath = dir.resolve(SEEN);
        if (Files.exists(seenPath)) {
            for (String line : Files.readAllLines(seenPath, StandardCharsets.US_ASCII)) {
                String[] parts = line.split(" ");
                // a torn last line from a crash is ignored: its command had not started
                if (parts.length != 3) {
                    continue;
                }
                try {
                    long exp = Long.parseLong(parts[0]);
                    String id = new String(Base64Url.decode(parts[2], "command id"), StandardCharsets.UTF_8);
                    if (exp >= nowSeconds) {
                        seen.put(parts[1] + " " + id, exp);
                    }
                } catch (ProtocolException | NumberFormatException e) {
                    // same: a torn line
                }
            }
        }
        rewriteSeen(nowSeconds);
    }

    private void rewriteSeen(long nowSeconds) throws IOException {
        if (seenFile != null) {
            seenFile.close();
        }
        StringBuilder text = new StringBuilder();
        for (Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> e = it.next();
            if (e.getValue() < nowSeconds) {
                it.remove();
                continue;
            }
            int space = e.getKey().indexOf(' ');
            text.append(e.getValue())
                    .append(' ')
                    .append(e.getKey(), 0, space)
                    .append(' ')
                    .append(Base64Url.encode(e.getKey().substring(space + 1).getBytes(StandardCharsets.UTF_8)))
                    .append('\n');
        }
        Path temp = dir.resolve(SEEN + ".tmp");
        writeFile(temp, text.toString(), StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(temp, dir.resolve(SEEN), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        seenLines = seen.size();
        seenFile = FileChannel.open(dir.resolve(SEEN), StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private void append(String line) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII));
        while (buf.hasRemaining()) {
            seenFile.write(buf);
        }
        if (sync) {
            seenFile.force(false);
        }
        seenLines++;
    }

    private void writeFile(Path path, String text, StandardOpenOption mode) throws IOException {
        try (FileChannel out = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
            ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
            while (buf.hasRemaining()) {
                out.write(buf);
            }
            if (sync) {
                out.force(true);
            }
        }
    }

    private static String key(PublicKey signer, String id) {
        return signer.nodeId().hex() + " " + id;
    }

    @Override
    public synchronized void close() throws IOException {
        if (seenFile != null) {
            seenFile.close();
        }
    }
}
