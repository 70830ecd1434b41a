package io.streembit.dht.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.streembit.dht.wire.Contact;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;

import java.util.ArrayList;
import java.util.List;

/** The {@code nodes} member of FIND_NODE / FIND_VALUE answers. */
public final class Contacts {
    /** More contacts than any honest answer holds (k = 20): a longer list is refused. */
    static final int MAX_CONTACTS = 64;

    private Contacts() {}

    public static ArrayNode toJson(List<Contact> contacts) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (Contact c : contacts) {
            array.add(c.toJson());
        }
        return array;
    }

    public static List<Contact> fromJson(JsonNode nodes) throws ProtocolException {
        if (nodes == null) {
            return List.of();
        }
        if (!nodes.isArray() || nodes.size() > MAX_CONTACTS) {
            throw new ProtocolException(ErrorCode.MALFORMED, "'nodes' must be an array of at most " + MAX_CONTACTS);
        }
        List<Contact> out = new ArrayList<>(nodes.size());
        for (JsonNode n : nodes) {
            out.add(Contact.fromJson(n));
        }
        return out;
    }
}
