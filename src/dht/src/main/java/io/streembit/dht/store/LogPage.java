package io.streembit.dht.store;

import io.streembit.protocol.record.VerifiedRecord;

import java.util.List;

/**
 * A page of a log's entries, ascending by seq, and the highest seq the store holds (its
 * head; -1 when it holds none). A reader that got a full page asks again from the last seq + 1.
 */
public record LogPage(List<VerifiedRecord> entries, long head) {
    public static final LogPage EMPTY = new LogPage(List.of(), -1);
}
