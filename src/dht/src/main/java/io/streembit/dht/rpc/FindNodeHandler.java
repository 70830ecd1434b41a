package io.streembit.dht.rpc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.dht.routing.RoutingTable;
import io.streembit.dht.wire.Contact;
import io.streembit.dht.wire.Messages;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.NodeId;
import io.vertx.core.Future;

/** FIND_NODE {target} → {nodes}: the k contacts closest to target that we know. */
public final class FindNodeHandler implements RpcHandler {
    private final RoutingTable table;

    public FindNodeHandler(RoutingTable table) {
        this.table = table;
    }

    @Override
    public Future<ObjectNode> handle(Contact from, ObjectNode body) {
        try {
            NodeId target = NodeId.fromHex(Messages.text(body, "target"));
            ObjectNode answer = Json.object();
            answer.set("nodes", Contacts.toJson(table.closest(target, table.k())));
            return Future.succeededFuture(answer);
        } catch (ProtocolException e) {
            return Future.failedFuture(e);
        }
    }
}
