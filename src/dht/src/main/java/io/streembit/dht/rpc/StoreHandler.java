package io.streembit.dht.rpc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.dht.store.RecordStore;
import io.streembit.dht.wire.Contact;
import io.streembit.dht.wire.Messages;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.record.RecordValidator;
import io.streembit.protocol.record.StoreDecision;
import io.streembit.protocol.record.VerifiedRecord;
import io.vertx.core.Future;

import java.time.Clock;
import java.util.function.Consumer;

/**
 * STORE {key, record} → {stored: true|false}. The record is fully validated (signature, key
 * derivation, expiry, size, allow-list) and then checked against what is stored (seq rules)
 * before anything changes; a refusal answers the specific error code. New content is handed
 * to {@code onStored} (which notifies subscribers); an idempotent re-store answers
 * {@code stored: false} and notifies nobody.
 */
public final class StoreHandler implements RpcHandler {
    private final RecordStore store;
    private final RecordValidator validator;
    private final Clock clock;
    private final Consumer<VerifiedRecord> onStored;

    public StoreHandler(RecordStore store, RecordValidator validator, Clock clock, Consumer<VerifiedRecord> onStored) {
        this.store = store;
        this.validator = validator;
        this.clock = clock;
        this.onStored = onStored;
    }

    @Override
    public Future<ObjectNode> handle(Contact from, ObjectNode body) {
        try {
            NodeId key = NodeId.fromHex(Messages.text(body, "key"));
            VerifiedRecord record = validator.validate(key, Messages.text(body, "record"), clock.instant());
            StoreDecision decision = store.put(record);
            if (decision == StoreDecision.STORE) {
                onStored.accept(record);
            }
            ObjectNode answer = Json.object();
            answer.put("stored", decision == StoreDecision.STORE);
            return Future.succeededFuture(answer);
        } catch (ProtocolException e) {
            return Future.failedFuture(e);
        }
    }
}
