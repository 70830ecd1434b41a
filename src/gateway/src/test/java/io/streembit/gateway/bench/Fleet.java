package io.streembit.gateway.bench;

import com.fasterxml.jackson.databind.node.DoubleNode;
import io.streembit.device.Things;
import io.streembit.gateway.testing.DhtTestNetwork;
import io.streembit.protocol.feed.Commands;
import io.streembit.protocol.feed.FeedChain;
import io.streembit.protocol.feed.FeedEntries;
import io.streembit.protocol.feed.FeedEntry;
import io.streembit.protocol.feed.Reading;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.identity.PublicKey;
import io.streembit.protocol.offer.ContactOffers;
import io.streembit.protocol.offer.UserType;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Creates the simulated devices and seals their feeds, on every core (the timed phases have not
 * started). Each entry holds {@code readings} "temperature" readings (the thermostat TD's
 * number, -40..85 °C; these lie in 15..30) 100 ms apart.
 *
 * <p>Device keys are drawn until the feed's closest node is the harness node due next in turn,
 * so the feeds spread evenly over the storing nodes and none falls to the gateway's own node.
 * In a real network (thousands of nodes) the gateway is almost never a storing node of its
 * devices' feeds, and each storing node holds only a few of them; in this small network, XOR
 * distance alone would give one node a quarter of the feeds and the gateway a ninth, and that
 * node's notifications would exceed the 500 requests/s per peer the gateway's node admits
 * (it bans the peer for 60 s). With the gateway's key given, the device's command queue (a log
 * keyed by gateway and device) must also be closest to a harness node, not to the gateway.
 */
final class Fleet {
    private Fleet() {}

    static List<BenchDevice> create(BenchDht dht, NodeId gatewayNode, int count, int entries) {
        return create(dht, gatewayNode, null, count, entries);
    }

    /** As above; {@code gateway} non-null: the command queue's closest node is a harness node too. */
    static List<BenchDevice> create(BenchDht dht, PublicKey gateway, int count, int entries) {
        return create(dht, gateway.nodeId(), gateway, count, entries);
    }

    private static List<BenchDevice> create(
            BenchDht dht, NodeId gatewayNode, PublicKey gateway, int count, int entries) {
        List<BenchDevice> devices = new ArrayList<>(count);
        int nodes = dht.nodes.size();
        for (int i = 0; i < count; i++) {
            int storing = i % nodes;
            Identity identity;
            do {
                identity = Identity.generate(DhtTestNetwork.RANDOM);
            } while (dht.closest(FeedEntries.key(identity.publicKey()), gatewayNode) != storing
                    || gateway != null && dht.closest(Commands.key(gateway, identity.publicKey()), gatewayNode) < 0);
            // any node but the storing one writes: a writer that is itself the closest node keeps a copy
            // and also STOREs one on the next node (two replicas, two notifications)
            int writer = (storing + 1 + (i / nodes) % (nodes - 1)) % nodes;
            String offer = ContactOffers.create(
                    identity,
                    UserType.DEVICE,
                    "127.0.0.1",
                    1,
                    "tcp",
                    Things.forDevice("thermostat", identity.account()));
            devices.add(new BenchDevice(
                    i,
                    identity,
                    offer,
                    dht.nodes.get(writer).logWriter(FeedEntries.key(identity.publicKey())),
                    writer,
                    storing,
                    entries));
        }
        return devices;
    }

    /** Seals every device's entries 1..tokens.length, chained, on {@code threads} threads. */
    static void seal(List<BenchDevice> devices, PublicKey gateway, int readings, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long iat = System.currentTimeMillis() / 1000;
            long exp = iat + 6 * 3600;
            List<Future<?>> jobs = new ArrayList<>();
            for (BenchDevice d : devices) {
                jobs.add(pool.submit(() -> sealOne(d, gateway, readings, iat, exp)));
            }
            for (Future<?> job : jobs) {
                job.get();
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static void sealOne(BenchDevice d, PublicKey gateway, int readings, long iat, long exp) {
        FeedEntries entries = FeedEntries.standard();
        SplittableRandom random = new SplittableRandom(d.index);
        FeedChain chain = FeedChain.genesis();
        long ts = iat * 1000;
        for (int n = 1; n <= d.tokens.length; n++) {
            List<Reading> batch = new ArrayList<>(readings);
            for (int r = 0; r < readings; r++) {
                double value = Math.round((15 + random.nextDouble() * 15) * 100) / 100.0;
                batch.add(new Reading("temperature", ts, DoubleNode.valueOf(value)));
                ts += 100;
            }
            FeedEntry entry = chain.nextEntry(batch);
            String token = entries.seal(d.identity, gateway, entry, iat, exp);
            d.tokens[n - 1] = token;
            chain = FeedChain.after(n, token);
        }
    }
}
