package io.streembit.dht.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;

/**
 * One message inside an encrypted frame: a request {@code {"t":"req","id","op",...}} or a
 * response {@code {"t":"res","id","ok":true,...}} / {@code {"t":"res","id","ok":false,"code","msg"}}.
 * The body members sit beside {@code t}/{@code id}/{@code op} in the same object.
 */
public sealed interface Envelope {
    long MAX_ID = 0xffffffffL;

    long id();

    ObjectNode body();

    record Request(long id, Op op, ObjectNode body) implements Envelope {}

    record Response(long id, boolean ok, String code, String message, ObjectNode body) implements Envelope {
        public static Response ok(long id, ObjectNode body) {
            return new Response(id, true, null, null, body);
        }

        public static Response error(long id, ErrorCode code, String message) {
            return new Response(id, false, code.code(), message, Json.object());
        }
    }

    static byte[] encode(Envelope envelope) {
        ObjectNode out = Json.object();
        if (envelope instanceof Request req) {
            out.put("t", "req");
            out.put("id", req.id());
            out.put("op", req.op().name());
        } else if (envelope instanceof Response res) {
            out.put("t", "res");
            out.put("id", res.id());
            out.put("ok", res.ok());
            if (!res.ok()) {
                out.put("code", res.code());
                out.put("msg", res.message() == null ? "" : res.message());
            }
        }
        envelope.body().fields().forEachRemaining(e -> out.set(e.getKey(), e.getValue()));
        return Json.bytes(out);
    }

    static Envelope decode(byte[] bytes) throws ProtocolException {
        ObjectNode node = Json.parseObject(bytes, "message");
        String t = Messages.text(node, "t");
        long id = Messages.longValue(node, "id", 0, MAX_ID);
        node.remove(java.util.List.of("t", "id"));
        switch (t) {
            case "req" -> {
                String opName = Messages.text(node, "op");
                node.remove("op");
                Op op;
                try {
                    op = Op.valueOf(opName);
                } catch (IllegalArgumentException e) {
                    throw new ProtocolException(ErrorCode.MALFORMED, "unknown op '" + opName + "'");
                }
                return new Request(id, op, node);
            }
            case "res" -> {
                JsonNode ok = node.remove("ok");
                if (ok == null || !ok.isBoolean()) {
                    throw new ProtocolException(ErrorCode.MALFORMED, "'ok' must be a boolean");
                }
                if (ok.booleanValue()) {
                    return new Response(id, true, null, null, node);
                }
                String code = Messages.text(node, "code");
                JsonNode msg = node.remove("msg");
                node.remove("code");
                return new Response(id, false, code, msg == null ? "" : msg.asText(), node);
            }
            default -> throw new ProtocolException(ErrorCode.MALFORMED, "unknown message type '" + t + "'");
        }
    }
}
