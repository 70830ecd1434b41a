package io.streembit.dht;

import io.streembit.dht.wire.Contact;

import java.util.List;
import java.util.Map;

/**
 * The outcome of storing a record on its closest nodes: how many took it (new or idempotent),
 * and the error codes the others answered (e.g. "seq-too-low": 3) or "timeout".
 */
public record PutResult(int stored, Map<String, Integer> errors, List<Contact> nodes) {
    public boolean succeeded() {
        return stored > 0;
    }
}
