package io.streembit.dht.rpc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.dht.Verification;
import io.streembit.dht.wire.Contact;
import io.streembit.dht.wire.Messages;
import io.streembit.protocol.Json;
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
    private final Verification verification;

    public NotifyHandler(
            RecordValidator validator, Clock clock, Consumer<VerifiedRecord> onNotified, Verification verification) {
        this.validator = validator;
        this.clock = clock;
        this.onNotified = onNotified;
        this.verification = verification;
    }

    @Override
    public Future<ObjectNode> handle(Contact from, ObjectNode body) {
        return verification
                .run(1, () -> {
                    NodeId key = NodeId.fromHex(Messages.text(body, "key"));
                    return validator.validate(key, Messages.text(body, "record"), clock.instant());
                })
                .map(record -> {
                    onNotified.accept(record); // back on the node's context
                    return Json.object();
                });
    }
}
