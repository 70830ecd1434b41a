package io.streembit.dht.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.identity.PublicKey;

/**
 * A node's address card: its id, public key, and where it listens. On the wire
 * {@code {"id","pub","host","port"}}. The id is always recomputed from the key, so a contact
 * whose id does not match its key is refused; a contact is only trusted after a handshake.
 */
public record Contact(NodeId id, PublicKey pub, String host, int port) {
    public static Contact of(PublicKey pub, String host, int port) {
        return new Contact(pub.nodeId(), pub, host, port);
    }

    public String address() {
        return host + ":" + port;
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("id", id.hex());
        node.put("pub", pub.hex());
        node.put("host", host);
        node.put("port", port);
        return node;
    }

    public static Contact fromJson(JsonNode node) throws ProtocolException {
        if (node == null || !node.isObject()) {
            throw new ProtocolException(ErrorCode.MALFORMED, "contact is not an object");
        }
        PublicKey pub = PublicKey.fromHex(Messages.text(node, "pub"));
        NodeId id = NodeId.fromHex(Messages.text(node, "id"));
        if (!id.equals(pub.nodeId())) {
            throw new ProtocolException(ErrorCode.BAD_KEY, "contact id is not SHA-1 of its key");
        }
        String host = Messages.text(node, "host");
        if (host.isEmpty() || host.length() > 255) {
            throw new ProtocolException(ErrorCode.MALFORMED, "contact host is empty or too long");
        }
        int port = Messages.intValue(node, "port", 1, 65535);
        return new Contact(id, pub, host, port);
    }

    @Override
    public String toString() {
        return id.hex().substring(0, 8) + "@" + address();
    }
}
