package io.streembit.dht.rpc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.dht.wire.Contact;
import io.streembit.dht.wire.Messages;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.record.RecordValidator;
import io.streembit.protocol.record.VerifiedRecord;
import io.vertx.core.Future;

import java.time.Clock;
import java.util.function.Consumer;

/**
 * NOTIFY {key, record} → {}: a storing node pushes a new record we subscribed to. It is
 * validated like any record (a notification is a hint, never trusted on its own) and handed
 * to the subscriptions, which deliver each seq exactly once and in order.
 */
public final class NotifyHandler implements RpcHandler {
    private final RecordValidator validator;
    private final Clock clock;
    private final Consumer<VerifiedRecord> onNotified;

    public NotifyHandler(RecordValidator validator, Clock clock, Consumer<VerifiedRecord> onNotified) {
        this.validator = validator;
        this.clock = clock;
        this.onNotified = onNotified;
    }

    @Override
    public Future<ObjectNode> handle(Contact from, ObjectNode body) {
        try {
            NodeId key = NodeId.fromHex(Messages.text(body, "key"));
            onNotified.accept(validator.validate(key, Messages.text(body, "record"), clock.instant()));
            return Future.succeededFuture(Json.object());
        } catch (ProtocolException e) {
            return Future.failedFuture(e);
        }
    }
}
