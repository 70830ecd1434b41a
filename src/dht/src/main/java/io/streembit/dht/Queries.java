package io.streembit.dht;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.dht.lookup.Lookup;
import io.streembit.dht.routing.RoutingTable;
import io.streembit.dht.rpc.Contacts;
import io.streembit.dht.store.LogPage;
import io.streembit.dht.transport.RpcException;
import io.streembit.dht.transport.Transport;
import io.streembit.dht.wire.Contact;
import io.streembit.dht.wire.Messages;
import io.streembit.dht.wire.Op;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.record.RecordValidator;
import io.streembit.protocol.record.VerifiedRecord;
import io.vertx.core.Future;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The client side of the RPCs: iterative lookups (FIND_NODE, FIND_VALUE), paged log fetches
 * and STOREs to a set of contacts. Records in answers are validated like any input; a peer
 * answering with an invalid record is counted and ignored.
 */
final class Queries {
    /** Values one FIND_VALUE answer carried: validated records and the holder's head seq. */
    record Values(List<VerifiedRecord> records, long head) {}

    private final Transport transport;
    private final RoutingTable table;
    private final RecordValidator validator;
    private final Clock clock;
    private final DhtOptions options;
    private final DhtMetrics metrics;
    private final Consumer<Contact> onAnswer;
    private final Consumer<Contact> onFailure;
    private final Verification verification;

    Queries(
            Transport transport,
            RoutingTable table,
            RecordValidator validator,
            Clock clock,
            DhtOptions options,
            DhtMetrics metrics,
            Consumer<Contact> onAnswer,
            Consumer<Contact> onFailure,
            Verification verification) {
        this.transport = transport;
        this.table = table;
        this.validator = validator;
        this.clock = clock;
        this.options = options;
        this.metrics = metrics;
        this.onAnswer = onAnswer;
        this.onFailure = onFailure;
        this.verification = verification;
    }

    Future<Lookup.Result<Void>> findNode(NodeId target) {
        long started = System.nanoTime();
        ObjectNode body = Json.object();
        body.put("target", target.hex());
        Lookup<Void> lookup = new Lookup<>(
                target,
                table.self(),
                table.closest(target, options.k()),
                options.k(),
                options.alpha(),
                peer -> transport
                        .request(peer, Op.FIND_NODE, body)
                        .compose(answer ->
                                parse(() -> new Lookup.Reply<Void>(Contacts.fromJson(answer.get("nodes")), null))),
                onAnswer,
                onFailure);
        return lookup.run()
                .onSuccess(r -> metrics.lookup(
                        "node",
                        r.hops(),
                        System.nanoTime() - started,
                        !r.closest().isEmpty()));
    }

    Future<Lookup.Result<Values>> findValue(NodeId key) {
        long started = System.nanoTime();
        ObjectNode body = Json.object();
        body.put("key", key.hex());
        Lookup<Values> lookup = new Lookup<>(
                key,
                table.self(),
                table.closest(key, options.k()),
                options.k(),
                options.alpha(),
                peer -> transport
                        .request(peer, Op.FIND_VALUE, body)
                        .compose(answer -> verification.run(
                                records(answer),
                                () -> new Lookup.Reply<>(Contacts.fromJson(answer.get("nodes")), values(key, answer)))),
                onAnswer,
                onFailure);
        return lookup.run()
                .onSuccess(r -> metrics.lookup(
                        "value",
                        r.hops(),
                        System.nanoTime() - started,
                        r.values().stream().anyMatch(f -> !f.value().records().isEmpty())));
    }

    /** One page of a log from one holder. */
    Future<LogPage> fetchLog(Contact holder, NodeId key, long fromSeq, int limit) {
        ObjectNode body = Json.object();
        body.put("key", key.hex());
        body.put("from", fromSeq);
        body.put("limit", limit);
        return transport
                .request(holder, Op.FIND_VALUE, body)
                .compose(answer -> verification.run(records(answer), () -> {
                    Values values = values(key, answer);
                    List<VerifiedRecord> entries = new ArrayList<>();
                    long expected = fromSeq;
                    for (VerifiedRecord r : values.records()) {
                        // a page must be ascending from fromSeq; anything else is a confused or lying peer
                        if (!r.isLog() || r.seq() < expected) {
                            break;
                        }
                        entries.add(r);
                        expected = r.seq() + 1;
                    }
                    return new LogPage(entries, values.head());
                }));
    }

    /** STOREs {@code record} on each target; completes with the tally (never fails). */
    Future<PutResult> storeAt(List<Contact> targets, VerifiedRecord record) {
        ObjectNode body = Json.object();
        body.put("key", record.key().hex());
        body.put("record", record.token());
        List<Future<JsonNode>> sent = new ArrayList<>();
        for (Contact c : targets) {
            sent.add(transport.request(c, Op.STORE, body).map(a -> (JsonNode) a));
        }
        return Future.join(sent).transform(ignored -> {
            int stored = 0;
            Map<String, Integer> errors = new TreeMap<>();
            for (Future<JsonNode> f : sent) {
                if (f.succeeded()) {
                    stored++;
                } else {
                    String code = f.cause() instanceof RpcException re ? re.code() : "error";
                    errors.merge(code, 1, Integer::sum);
                }
            }
            return Future.succeededFuture(new PutResult(stored, errors, targets));
        });
    }

    /** How many records an answer carries (what its check costs), before anything is checked. */
    private static int records(JsonNode answer) {
        JsonNode records = answer.get("records");
        return records != null && records.isArray() ? records.size() : 0;
    }

    private Values values(NodeId key, JsonNode answer) throws ProtocolException {
        JsonNode records = answer.get("records");
        long head = Messages.optionalLong(answer, "head", -1, Long.MAX_VALUE, -1);
        List<VerifiedRecord> out = new ArrayList<>();
        if (records != null && records.isArray()) {
            for (JsonNode token : records) {
                try {
                    out.add(validator.validate(key, token.asText(), clock.instant()));
                } catch (ProtocolException e) {
                    metrics.rejected("reply-" + e.code().code());
                }
            }
        }
        return new Values(out, head);
    }

    private interface Parse<T> {
        T get() throws ProtocolException;
    }

    private static <T> Future<T> parse(Parse<T> parse) {
        try {
            return Future.succeededFuture(parse.get());
        } catch (ProtocolException e) {
            return Future.failedFuture(e);
        }
    }
}
