package io.streembit.dht.rpc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.dht.routing.RoutingTable;
import io.streembit.dht.store.RecordStore;
import io.streembit.dht.wire.Contact;
import io.streembit.dht.wire.Messages;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.record.RecordValidator;
import io.streembit.protocol.record.StoreDecision;
import io.streembit.protocol.record.VerifiedRecord;
import io.vertx.core.Future;

import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/**
 * STORE {key, record} → {stored: true|false}. The record is fully validated (signature, key
 * derivation, expiry, size, allow-list) and then checked against what is stored (seq rules)
 * before anything changes; a refusal answers the specific error code. New content is handed
 * to {@code onStored} (which notifies subscribers); an idempotent re-store answers
 * {@code stored: false} and notifies nobody.
 * <p>
 * Before any of that, the node decides whether it takes the key at all ({@code not-allowed}
 * otherwise): only when it stores for others, and only for a key it is plausibly among the
 * storing nodes of, i.e. fewer than {@code storeRank} contacts of its routing table are closer
 * to the key than itself. So a flood of keys spread over the id space lands on each node only
 * as the share it is responsible for, and filling one node takes keys ground near its id.
 */
public final class StoreHandler implements RpcHandler {
    private final RecordStore store;
    private final RecordValidator validator;
    private final Clock clock;
    private final Consumer<VerifiedRecord> onStored;
    private final RoutingTable table;
    private final boolean storeForOthers;
    private final int storeRank;

    public StoreHandler(
            RecordStore store,
            RecordValidator validator,
            Clock clock,
            Consumer<VerifiedRecord> onStored,
            RoutingTable table,
            boolean storeForOthers,
            int storeRank) {
        this.table = table;
        this.storeForOthers = storeForOthers;
        this.storeRank = storeRank;
        this.store = store;
        this.validator = validator;
        this.clock = clock;
        this.onStored = onStored;
    }

    /** Fewer than {@code storeRank} known contacts are closer to {@code key} than this node. */
    private boolean responsibleFor(NodeId key) {
        List<Contact> closest = table.closest(key, storeRank);
        if (closest.size() < storeRank) {
            return true;
        }
        Contact last = closest.get(closest.size() - 1);
        return java.util.Arrays.compareUnsigned(
                        table.self().distance(key), last.id().distance(key))
                < 0;
    }

    @Override
    public Future<ObjectNode> handle(Contact from, ObjectNode body) {
        try {
            NodeId key = NodeId.fromHex(Messages.text(body, "key"));
            if (!storeForOthers) {
                throw new ProtocolException(ErrorCode.NOT_ALLOWED, "this node stores no records for others");
            }
            if (!responsibleFor(key)) {
                throw new ProtocolException(ErrorCode.NOT_ALLOWED, "this node is not among the closest to the key");
            }
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
