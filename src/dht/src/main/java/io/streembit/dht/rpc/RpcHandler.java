package io.streembit.dht.rpc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.dht.wire.Contact;
import io.vertx.core.Future;

/** Answers one kind of RPC from an authenticated peer; fails with ProtocolException to refuse. */
public interface RpcHandler {
    Future<ObjectNode> handle(Contact from, ObjectNode body);
}
