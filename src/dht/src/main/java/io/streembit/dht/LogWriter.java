package io.streembit.dht;

import io.streembit.dht.wire.Contact;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.record.VerifiedRecord;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.List;

/**
 * Appends entries to one log key (or puts successive values of one slot, such as an ack: the
 * same caching applies). The key's storing nodes are looked up once and kept; they are looked
 * up again after {@link #REFRESH} or as soon as an append reaches fewer than half of them, so a
 * writer follows the network as it changes without a lookup per entry.
 */
public final class LogWriter {
    static final Duration REFRESH = Duration.ofMinutes(10);

    private final DhtNode node;
    private final NodeId key;
    private List<Contact> storingNodes;
    private long refreshedAtMillis;

    LogWriter(DhtNode node, NodeId key) {
        this.node = node;
        this.key = key;
    }

    public NodeId key() {
        return key;
    }

    /** Validates and stores one entry; fails only when the entry itself is invalid. */
    public Future<PutResult> append(String token) {
        return node.onContext(() -> {
            VerifiedRecord record;
            try {
                record = node.verify(token);
                if (!record.key().equals(key)) {
                    throw new ProtocolException(ErrorCode.BAD_KEY, "entry belongs to another key");
                }
            } catch (ProtocolException e) {
                return Future.failedFuture(e);
            }
            long now = node.clock().millis();
            // Several appends may be in flight: each works on the list it started with, and
            // only the one that looked the nodes up installs them.
            List<Contact> known =
                    storingNodes != null && now - refreshedAtMillis < REFRESH.toMillis() ? storingNodes : null;
            return node.replicate(record, known).onSuccess(result -> {
                if (known == null) {
                    // none found (the node knew no one yet): the next append looks again, instead
                    // of keeping the empty list for REFRESH and never reaching the network
                    storingNodes = result.nodes().isEmpty() ? null : result.nodes();
                    refreshedAtMillis = now;
                } else if (result.stored() * 2 < known.size() && storingNodes == known) {
                    storingNodes = null;
                }
            });
        });
    }

    /** The storing nodes currently used (null before the first append). */
    public List<Contact> storingNodes() {
        return storingNodes;
    }
}
