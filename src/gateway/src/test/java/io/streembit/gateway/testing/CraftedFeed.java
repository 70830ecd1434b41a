package io.streembit.gateway.testing;

import com.fasterxml.jackson.databind.node.DoubleNode;
import io.restassured.http.ContentType;
import io.streembit.device.Things;
import io.streembit.dht.DhtNode;
import io.streembit.dht.PutResult;
import io.streembit.protocol.feed.FeedChain;
import io.streembit.protocol.feed.FeedEntries;
import io.streembit.protocol.feed.FeedEntry;
import io.streembit.protocol.feed.Reading;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.identity.PublicKey;
import io.streembit.protocol.offer.ContactOffers;
import io.streembit.protocol.offer.UserType;
import io.streembit.protocol.td.ThingDescription;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.streembit.gateway.testing.DhtTestNetwork.await;

/**
 * A thermostat's feed written by hand, entry by entry, so a test can put exactly the faults a
 * broken or hostile device would into it (another recipient, a broken chain, readings outside
 * its TD) and publish them through a real DHT node.
 */
public final class CraftedFeed {
    public final Identity identity;
    public final ThingDescription td;
    private final PublicKey gateway;
    private FeedChain chain = FeedChain.genesis();

    public CraftedFeed(Identity identity, PublicKey gateway) {
        this.identity = identity;
        this.td = Things.forDevice("thermostat", identity.account());
        this.gateway = gateway;
    }

    /**
     * A device whose feed key is closer to {@code node} than to every other node listed, so that
     * node is one of the feed's storing nodes (tests that need the gateway to hold the records).
     */
    public static Identity closestTo(NodeId node, List<NodeId> others) {
        while (true) {
            Identity candidate = Identity.generate(DhtTestNetwork.RANDOM);
            NodeId key = FeedEntries.key(candidate.publicKey());
            byte[] mine = node.distance(key);
            boolean closest =
                    others.stream().allMatch(o -> o.equals(node) || Arrays.compareUnsigned(mine, o.distance(key)) < 0);
            if (closest) {
                return candidate;
            }
        }
    }

    public String id() {
        return identity.account();
    }

    public void register() {
        Api.admin()
                .contentType(ContentType.JSON)
                .body(Map.of("offer", ContactOffers.create(identity, UserType.DEVICE, "127.0.0.1", 1, "tcp", td)))
                .post("/api/devices")
                .then()
                .statusCode(201);
    }

    public static List<Reading> temperatures(long ts, double... values) {
        return Arrays.stream(values)
                .mapToObj(v -> new Reading("temperature", ts, DoubleNode.valueOf(v)))
                .toList();
    }

    /** The next entry, linked and sealed for the gateway. */
    public String next(List<Reading> readings) {
        return seal(chain.nextEntry(readings), gateway);
    }

    /** The next entry, linked, but encrypted for {@code recipient}. */
    public String nextFor(PublicKey recipient, List<Reading> readings) {
        return seal(chain.nextEntry(readings), recipient);
    }

    /** The next entry with a {@code prev} that links to nothing: a broken chain. */
    public String nextUnlinked(List<Reading> readings) {
        FeedEntry linked = chain.nextEntry(readings);
        return seal(new FeedEntry(linked.n(), FeedChain.hashOf("not the previous entry"), readings), gateway);
    }

    private String seal(FeedEntry entry, PublicKey recipient) {
        long now = System.currentTimeMillis() / 1000;
        String token = FeedEntries.standard().seal(identity, recipient, entry, now, now + 3600);
        chain = FeedChain.after(entry.n(), token);
        return token;
    }

    /** Stores {@code token} on its storing nodes through {@code via}; fails when none took it. */
    public void publish(DhtNode via, String token) throws Exception {
        PutResult result =
                await(via.logWriter(FeedEntries.key(identity.publicKey())).append(token));
        if (!result.succeeded()) {
            throw new IllegalStateException("entry not stored: " + result.errors());
        }
    }
}
