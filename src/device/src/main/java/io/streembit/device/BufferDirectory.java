package io.streembit.device;

import java.io.IOException;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A device's buffer directory, opened as a whole: its lock first (one agent per directory), then
 * the feed buffer and the command ledger. Opened before the node starts, so a device that cannot
 * keep its promises (no disk, directory in use) never joins the network.
 */
record BufferDirectory(DirectoryLock lock, FeedBuffer buffer, CommandLedger ledger) {
    private static final Logger LOG = Logger.getLogger(BufferDirectory.class.getName());

    static BufferDirectory open(Path dir, boolean sync, long nowSeconds) throws IOException {
        DirectoryLock lock = DirectoryLock.acquire(dir);
        try {
            FeedBuffer buffer = FeedBuffer.open(dir, sync);
            try {
                return new BufferDirectory(lock, buffer, CommandLedger.open(dir, sync, nowSeconds));
            } catch (IOException | RuntimeException e) {
                buffer.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Closes everything, the lock last; failures are logged, not thrown (this runs on shutdown). */
    void close() {
        for (AutoCloseable c : new AutoCloseable[] {ledger, buffer, lock}) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "closing the device buffer", e);
            }
        }
    }
}
