package io.streembit.dht.rpc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.dht.routing.RoutingTable;
import io.streembit.dht.store.LogPage;
import io.streembit.dht.store.RecordStore;
import io.streembit.dht.wire.Contact;
import io.streembit.dht.wire.Messages;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.record.VerifiedRecord;
import io.vertx.core.Future;

import java.util.Optional;

/**
 * FIND_VALUE {key, from?, limit?} → {nodes, records, head}. A slot answers its value; a log
 * answers the entries from {@code from} on (without {@code from}: the head entry only), as
 * many as {@code limit} (default 64, at most 256) and the frame budget allow; {@code head} is
 * the highest seq held (-1 for none). The closest contacts come along, so the same answer
 * serves an iterative lookup.
 */
public final class FindValueHandler implements RpcHandler {
    public static final int DEFAULT_LIMIT = 64;
    public static final int MAX_LIMIT = 256;

    private final RoutingTable table;
    private final RecordStore store;
    private final int recordBudgetBytes;

    public FindValueHandler(RoutingTable table, RecordStore store, int maxFrameBytes) {
        this.table = table;
        this.store = store;
        // leave room for the envelope, the contacts and the AEAD tag
        this.recordBudgetBytes = maxFrameBytes - 12 * 1024;
    }

    @Override
    public Future<ObjectNode> handle(Contact from, ObjectNode body) {
        try {
            NodeId key = NodeId.fromHex(Messages.text(body, "key"));
            boolean paged = body.has("from");
            long fromSeq = Messages.optionalLong(body, "from", 0, Long.MAX_VALUE, 0);
            int limit = (int) Messages.optionalLong(body, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
            ObjectNode answer = Json.object();
            ArrayNode records = answer.putArray("records");
            Optional<VerifiedRecord> latest = store.latest(key);
            long head = -1;
            if (latest.isPresent() && !latest.get().isLog()) {
                records.add(latest.get().token());
                head = latest.get().seq();
            } else if (latest.isPresent()) {
                head = latest.get().seq();
                if (!paged) {
                    records.add(latest.get().token());
                } else {
                    LogPage page = store.log(key, fromSeq, limit);
                    int bytes = 0;
                    for (VerifiedRecord r : page.entries()) {
                        bytes += r.encodedSize() + 3;
                        if (bytes > recordBudgetBytes && records.size() > 0) {
                            break;
                        }
                        records.add(r.token());
                    }
                }
            }
            answer.put("head", head);
            answer.set("nodes", Contacts.toJson(table.closest(key, table.k())));
            return Future.succeededFuture(answer);
        } catch (ProtocolException e) {
            return Future.failedFuture(e);
        }
    }
}
