package io.streembit.dht.rpc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.dht.store.RecordStore;
import io.streembit.dht.wire.Contact;
import io.streembit.dht.wire.Messages;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.record.VerifiedRecord;
import io.vertx.core.Future;

import java.time.Clock;

/** SUBSCRIBE {key, ttl} → {ttl, head}: NOTIFY the caller of every newer record under key. */
public final class SubscribeHandler implements RpcHandler {
    private final SubscriberRegistry registry;
    private final RecordStore store;
    private final Clock clock;

    public SubscribeHandler(SubscriberRegistry registry, RecordStore store, Clock clock) {
        this.registry = registry;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public Future<ObjectNode> handle(Contact from, ObjectNode body) {
        try {
            NodeId key = NodeId.fromHex(Messages.text(body, "key"));
            long ttl = Messages.longValue(body, "ttl", 1, Integer.MAX_VALUE);
            long granted = registry.subscribe(key, from, ttl, clock.millis());
            if (granted < 0) {
                throw new ProtocolException(ErrorCode.TOO_LARGE, "too many subscriptions from this peer");
            }
            ObjectNode answer = Json.object();
            answer.put("ttl", granted);
            answer.put("head", store.latest(key).map(VerifiedRecord::seq).orElse(-1L));
            return Future.succeededFuture(answer);
        } catch (ProtocolException e) {
            return Future.failedFuture(e);
        }
    }
}
