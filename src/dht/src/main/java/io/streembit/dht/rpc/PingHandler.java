package io.streembit.dht.rpc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.dht.wire.Contact;
import io.streembit.protocol.Json;
import io.vertx.core.Future;

/** PING {} → {}: proves liveness (the authenticated channel already proves identity). */
public final class PingHandler implements RpcHandler {
    @Override
    public Future<ObjectNode> handle(Contact from, ObjectNode body) {
        return Future.succeededFuture(Json.object());
    }
}
