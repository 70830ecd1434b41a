package io.streembit.protocol.record;

import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;

/**
 * The seq rules, which depend on what a node already stores under the record's key. Callers
 * pass only live (unexpired) stored records, all {@link VerifiedRecord}s of the same key.
 * <ul>
 *   <li>Slot ({@code log} false): the incoming seq must be strictly greater than the stored
 *       one; the same seq with byte-identical tokens is an idempotent re-store; anything else
 *       is {@code seq-too-low} (BEP 44).</li>
 *   <li>Log ({@code log} true): entries at any seq may arrive, in any order (publishers
 *       republish, replicas catch up); a seq already taken by a byte-identical token is an
 *       idempotent re-store, by a different token a {@code fork}.</li>
 *   <li>One key holds one kind: a slot record under a key that holds a log, or a log entry
 *       under a key that holds a slot value, is a {@code fork} (two incompatible histories
 *       under one key, which only its publisher can have made).</li>
 * </ul>
 * "Byte-identical" compares the whole compact token, signature included: feed entries are
 * chained by the hash of the token, so two signatures over the same payload are two entries.
 */
public final class RecordStorePolicy {
    private RecordStorePolicy() {}

    /**
     * Checks a slot STORE against {@code stored}, the record currently held under the key (the
     * slot value, or any log entry if the key holds a log), or null when the key is empty.
     */
    public static StoreDecision checkSlotReplace(VerifiedRecord stored, VerifiedRecord incoming)
            throws ProtocolException {
        if (incoming.isLog()) {
            throw new IllegalArgumentException("a log entry is checked with checkLogAppend");
        }
        if (stored == null) {
            return StoreDecision.STORE;
        }
        requireSameKey(stored, incoming);
        if (stored.isLog()) {
            throw new ProtocolException(ErrorCode.FORK, "key " + incoming.key() + " holds a log, not a slot");
        }
        if (incoming.seq() > stored.seq()) {
            return StoreDecision.STORE;
        }
        if (incoming.seq() == stored.seq() && incoming.token().equals(stored.token())) {
            return StoreDecision.IDEMPOTENT;
        }
        throw new ProtocolException(
                ErrorCode.SEQ_TOO_LOW, "seq " + incoming.seq() + " is not greater than the stored seq " + stored.seq());
    }

    /**
     * Checks a log append. {@code head} is any record currently held under the key (normally the
     * log's head), null when the key is empty; {@code atSameSeq} is the stored entry with the
     * incoming seq, null when that seq is free.
     */
    public static StoreDecision checkLogAppend(VerifiedRecord head, VerifiedRecord atSameSeq, VerifiedRecord incoming)
            throws ProtocolException {
        if (!incoming.isLog()) {
            throw new IllegalArgumentException("a slot record is checked with checkSlotReplace");
        }
        for (VerifiedRecord stored : new VerifiedRecord[] {head, atSameSeq}) {
            if (stored != null) {
                requireSameKey(stored, incoming);
                if (!stored.isLog()) {
                    throw new ProtocolException(ErrorCode.FORK, "key " + incoming.key() + " holds a slot, not a log");
                }
            }
        }
        if (atSameSeq == null) {
            return StoreDecision.STORE;
        }
        if (atSameSeq.seq() != incoming.seq()) {
            throw new IllegalArgumentException("atSameSeq holds seq " + atSameSeq.seq() + ", not " + incoming.seq());
        }
        if (atSameSeq.token().equals(incoming.token())) {
            return StoreDecision.IDEMPOTENT;
        }
        throw new ProtocolException(
                ErrorCode.FORK,
                "log seq " + incoming.seq() + " of key " + incoming.key() + " is already taken by a different entry");
    }

    private static void requireSameKey(VerifiedRecord stored, VerifiedRecord incoming) {
        if (!stored.key().equals(incoming.key())) {
            throw new IllegalArgumentException(
                    "stored record is under key " + stored.key() + ", incoming under " + incoming.key());
        }
    }
}
