package io.streembit.gateway.bench;

import io.streembit.dht.LogWriter;
import io.streembit.protocol.identity.Identity;

/**
 * One simulated device: its key, its contact offer (with its thermostat TD), and its whole feed
 * sealed in advance, so the timed phases spend no CPU on the device side's signing and
 * encryption. {@code tokens[n - 1]} is the record token of entry n. The harness DHT node that
 * writes for it is not the node that stores its feed, so each entry is stored exactly once.
 */
final class BenchDevice {
    final int index;
    final Identity identity;
    final String offer;
    final LogWriter writer;
    /** The harness node that writes the feed (and, in the command benchmark, follows the device's command queue). */
    final int writerNode;

    final int storingNode;
    final String[] tokens;
    /** Publish time of entry n (epoch microseconds) at {@code published[n - 1]}; 0 = not published live. */
    final long[] published;
    /** When the storing node acknowledged entry n's STORE (epoch microseconds); 0 = not (yet). */
    final long[] acked;

    BenchDevice(
            int index,
            Identity identity,
            String offer,
            LogWriter writer,
            int writerNode,
            int storingNode,
            int entries) {
        this.index = index;
        this.identity = identity;
        this.offer = offer;
        this.writer = writer;
        this.writerNode = writerNode;
        this.storingNode = storingNode;
        this.tokens = new String[entries];
        this.published = new long[entries];
        this.acked = new long[entries];
    }

    String account() {
        return identity.account();
    }
}
